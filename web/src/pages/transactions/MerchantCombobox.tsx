import type { Merchant } from "@tyche/types";
import { type KeyboardEvent, useId, useState } from "react";
import { useMerchants } from "../../api/transactions";
import { useDebounced } from "../../ui/useDebounced";

/**
 * A merchant input that suggests the person's own merchants by the start of any word (the ARIA
 * combobox pattern with a list: arrow keys move through the suggestions, Enter picks one, Escape
 * closes the list; typing anything else is kept as typed).
 */
export function MerchantCombobox({
  id,
  value,
  onChange,
  onPick,
  describedBy,
  invalid,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  onPick?: (merchant: Merchant) => void;
  describedBy?: string | undefined;
  invalid?: boolean;
}) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const typed = useDebounced(value, 200);
  const found = useMerchants(open ? typed : "");
  // Only what was found for the text now typed: a late answer for older text is not offered.
  const options = open && typed === value ? (found.data ?? []).filter((m) => m.name !== value) : [];
  const expanded = options.length > 0;

  const pick = (m: Merchant) => {
    onChange(m.name);
    onPick?.(m);
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      if (options.length) setActive((a) => (a + 1) % options.length);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      if (options.length) setActive((a) => (a <= 0 ? options.length - 1 : a - 1));
    } else if (e.key === "Enter" && expanded && active >= 0) {
      e.preventDefault();
      const m = options[active];
      if (m) pick(m);
    } else if (e.key === "Escape" && expanded) {
      // Closing the list is all Escape does here; it must not also close the form around it.
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      setActive(-1);
    }
  };

  return (
    <div className="combobox">
      <input
        id={id}
        type="text"
        role="combobox"
        className="combobox-input"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-invalid={invalid ?? false}
        {...(describedBy ? { "aria-describedby": describedBy } : {})}
        {...(expanded && active >= 0 ? { "aria-activedescendant": `${listId}-${active}` } : {})}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <div
        id={listId}
        role="listbox"
        aria-label="Your merchants"
        className="combobox-list"
        hidden={!expanded}
      >
        {options.map((m, i) => (
          <div
            key={m.name}
            id={`${listId}-${i}`}
            role="option"
            // Focus stays in the input; the option is pointed at with aria-activedescendant.
            tabIndex={-1}
            aria-selected={i === active}
            className={i === active ? "active" : undefined}
            // mousedown, not click: the input's blur would close the list before a click lands.
            onMouseDown={(e) => {
              e.preventDefault();
              pick(m);
            }}
          >
            {m.name}
            <span className="muted"> · used {m.count === 1 ? "once" : `${m.count} times`}</span>
          </div>
        ))}
      </div>
      <span className="sr-only" aria-live="polite">
        {expanded ? `${options.length} suggestion${options.length === 1 ? "" : "s"}; use the arrow keys` : ""}
      </span>
    </div>
  );
}
