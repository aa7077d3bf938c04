import { useEffect, useRef, useState } from 'react';
import { session } from '../session';
import { useI18n } from '../i18n';

/**
 * A PDF of the API (a report, an audit trail) shown in the page: fetched with the session's token
 * (a frame cannot send one), drawn page by page by pdf.js on canvases — the same in every browser,
 * headless ones included — with its SHA-256 (X-Report-Sha256, when the API sends it) and a download.
 * pdf.js is loaded with the first PDF shown, not with the console.
 */
export function PdfView({ url, title }: { url: string; title: string }) {
  const { t } = useI18n();
  const pages = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ status: 'loading' | 'shown' | 'failed'; pages?: number; sha256?: string; href?: string; error?: string }>({
    status: 'loading',
  });

  useEffect(() => {
    const controller = new AbortController();
    let href: string | undefined;
    void (async () => {
      setState({ status: 'loading' });
      const res = await fetch(url, { headers: { Authorization: `Bearer ${session.token() ?? ''}` }, signal: controller.signal });
      if (!res.ok) throw new Error(res.status === 404 ? t('pdfMissing') : `${res.status} ${res.statusText}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      href = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
      const pdfjs = await import('./pdfjs');
      const { doc, close } = await pdfjs.open(bytes.slice());
      try {
        const target = pages.current;
        if (!target || controller.signal.aborted) return;
        target.replaceChildren();
        for (let n = 1; n <= doc.numPages; n++) {
          const page = await doc.getPage(n);
          // Another PDF asked for meanwhile (a version chosen): this one stops drawing into the shared container.
          if (controller.signal.aborted) return;
          const viewport = page.getViewport({ scale: 1.4 });
          const canvas = document.createElement('canvas');
          canvas.width = viewport.width;
          canvas.height = viewport.height;
          canvas.setAttribute('role', 'img');
          canvas.setAttribute('aria-label', `${title} — ${n} / ${doc.numPages}`);
          target.append(canvas);
          await page.render({ canvas, viewport }).promise;
        }
        if (controller.signal.aborted) return;
        setState({ status: 'shown', pages: doc.numPages, sha256: res.headers.get('X-Report-Sha256') ?? undefined, href });
      } finally {
        await close();
      }
    })().catch((err: unknown) => {
      if (!controller.signal.aborted) setState({ status: 'failed', error: err instanceof Error ? err.message : String(err) });
    });
    return () => {
      controller.abort();
      if (href) URL.revokeObjectURL(href);
    };
  }, [url, title, t]);

  return (
    <section className="pdf-view" aria-label={title} aria-busy={state.status === 'loading'}>
      {state.status === 'loading' && <p>{t('loading')}</p>}
      {state.status === 'failed' && <p role="alert">{`${t('loadFailed')}: ${state.error ?? ''}`}</p>}
      {state.status === 'shown' && (
        <p className="meta">
          {`${state.pages ?? 0}${t('pdfPages')}`}
          {state.sha256 && (
            <>
              {' · SHA-256 '}
              <code className="sha">{state.sha256}</code>
            </>
          )}
          {' · '}
          <a href={state.href} download={`${title}.pdf`}>
            {t('pdfDownload')}
          </a>
        </p>
      )}
      <div ref={pages} className="pdf-pages" />
    </section>
  );
}
