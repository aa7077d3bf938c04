import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';

/** The controls of a list page whose filters and page live in the URL. */

/**
 * A text filter typed into: the input keeps its own state (a Korean IME composes undisturbed) and
 * reaches the URL once typing pauses; a change of the URL from elsewhere (Back) comes back into it.
 */
export function TextFilter({ label, value, onChange, type = 'text' }: { label: string; value: string; onChange: (v: string) => void; type?: string }) {
  const [text, setText] = useState(value);
  // The latest callback without restarting the pause on every render (the page re-renders each second for its countdowns).
  const changed = useRef(onChange);
  changed.current = onChange;
  // Only a change from elsewhere comes back in: the URL's own copy of what was typed is trimmed, the input keeps its spaces.
  useEffect(() => setText((typed) => (typed.trim() === value ? typed : value)), [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const timer = window.setTimeout(() => changed.current(text.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [text, value]);
  return (
    <label>
      {label}
      <input type={type} value={text} onChange={(e) => setText(e.target.value)} />
    </label>
  );
}

export function Select({
  label,
  value,
  options,
  onChange,
  any,
  labelOf = (o) => o,
}: {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (v: string) => void;
  any: string;
  /** How an option reads (a code's catalogue label); the code itself by default. */
  labelOf?: (option: string) => string;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {labelOf(o)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Pager({ total, offset, page, onOffset }: { total: number; offset: number; page: number; onOffset: (offset: number) => void }) {
  const { t } = useI18n();
  if (total <= page) return null;
  return (
    <nav className="pager" aria-label={t('pages')}>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - page))}>
        {t('prev')}
      </button>
      <span>{`${offset + 1}–${Math.min(total, offset + page)} / ${total}`}</span>
      <button type="button" disabled={offset + page >= total} onClick={() => onOffset(offset + page)}>
        {t('next')}
      </button>
    </nav>
  );
}
