import { useId, type ReactElement, cloneElement } from 'react';

/**
 * A labelled form field with the API's complaint about it underneath: the control is tied to its
 * label, and to its error by aria-describedby and aria-invalid, so a screen reader reads both.
 */
export function Field({ label, error, children }: { label: string; error?: string; children: ReactElement<Record<string, unknown>> }) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? errorId : undefined })}
      {error && (
        <span id={errorId} className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
