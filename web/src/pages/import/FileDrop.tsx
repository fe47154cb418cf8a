import { type DragEvent, useId, useState } from "react";

const ACCEPT = ".csv,.ofx,.qfx,text/csv,application/x-ofx,application/vnd.intu.qfx";

const size = (bytes: number) =>
  bytes < 1024
    ? `${bytes} bytes`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Where a bank file goes in: a zone to drop it on that is also the file input itself (focusable,
 * opened with Enter or Space), so the keyboard and a screen reader get the same thing as a mouse.
 */
export function FileDrop({ file, onFile }: { file: File | undefined; onFile: (file: File) => void }) {
  const id = useId();
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const dropped = e.dataTransfer.files[0];
    if (dropped) onFile(dropped);
  };
  return (
    <div className={over ? "drop-zone over" : "drop-zone"}>
      <label htmlFor={id}>
        <span className="drop-title">{file ? "Choose another bank file" : "Choose a bank file"}</span>
        <span className="drop-hint"> or drop it here (CSV, OFX or QFX, at most 10 MB)</span>
      </label>
      <input
        id={id}
        type="file"
        accept={ACCEPT}
        aria-describedby={`${id}-chosen`}
        // The input covers the whole zone, so a file dropped anywhere on it lands here.
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        onChange={(e) => {
          const chosen = e.target.files?.[0];
          // Cleared, so choosing the same file again (to import it again) is a change too.
          e.target.value = "";
          if (chosen) onFile(chosen);
        }}
      />
      <p id={`${id}-chosen`} className="muted" aria-live="polite">
        {file ? `Chosen: ${file.name} (${size(file.size)})` : "No file chosen yet."}
      </p>
    </div>
  );
}
