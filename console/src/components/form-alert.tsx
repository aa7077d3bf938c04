import { ApiError } from '../api/client';

/**
 * Above a form: what the API said that names none of the form's fields (a conflict, a refusal), or why the
 * call failed; what names a field shows beside it instead. `refused` and `failed` lead the message (the page
 * area's words for a 409 and for anything else).
 */
export function FormAlert({
  error,
  problems,
  fields,
  refused,
  failed,
}: {
  error: Error | null;
  problems: Map<string, string>;
  fields: string[];
  refused: string;
  failed: string;
}) {
  if (!error) return null;
  const mine = (path: string) => fields.some((f) => path === f || path.startsWith(`${f}.`));
  const rest = [...problems].filter(([path]) => !mine(path)).map(([path, m]) => (path === '(body)' ? m : `${path}: ${m}`));
  if (problems.size > 0 && rest.length === 0) return null;
  const status = error instanceof ApiError ? error.status : 0;
  const message = rest.length ? rest.join('; ') : error.message;
  return <p role="alert" className="error">{`${status === 409 ? refused : failed}: ${message}`}</p>;
}
