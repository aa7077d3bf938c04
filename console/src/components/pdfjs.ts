import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from 'pdfjs-dist';
// The worker as a file of the build, served from the console's own origin (the CSP allows no other).
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

/** pdf.js, opened on bytes already fetched (it fetches nothing of its own); `close` ends its worker's share. */
export async function open(data: Uint8Array): Promise<{ doc: PDFDocumentProxy; close(): Promise<void> }> {
  const task = getDocument({ data, useWorkerFetch: false, disableAutoFetch: true });
  return { doc: await task.promise, close: () => task.destroy() };
}
