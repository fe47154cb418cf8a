/**
 * An item's form's buttons: submit, which says `busy` while its write is pending, and Cancel. The
 * submit is disabled while the write is pending (a second click sends nothing) or when `disabled`.
 */
export function FormButtons({
  label,
  busy,
  pending,
  disabled = false,
  onCancel,
}: {
  label: string;
  busy: string;
  pending: boolean;
  disabled?: boolean;
  onCancel: () => void;
}) {
  return (
    <div className="button-row">
      <button type="submit" className="primary" disabled={pending || disabled}>
        {pending ? busy : label}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
