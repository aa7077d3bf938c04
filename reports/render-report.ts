import type { AuditAnchor } from '../domain/audit/seal';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { EChartsOption } from 'echarts/types/dist/echarts' with { 'resolution-mode': 'import' };
import type { PDFOptions } from 'puppeteer-core';
import { createTemplateEngine, DEFAULT_TIME_ZONE, type ReportLocale } from './helpers';
import type { BrowserPool } from './browser-pool';
import { renderChartSvg } from './charts';

export const TEMPLATES_DIR = path.resolve(__dirname, '../templates');

export interface ChartSpec {
  option: EChartsOption;
  width: number;
  height: number;
}

export interface ReportInput {
  /** Template path under templates/, without .hbs: "sample/report". */
  template: string;
  /** The report's data; any text in it is escaped by the templates. */
  data: Record<string, unknown>;
  locale: ReportLocale;
  /** The report's own date: printed in the header and written as the PDF's CreationDate/ModDate. */
  documentDate: Date;
  title: string;
  timeZone?: string;
  /** Charts by name; templates place them with {{> chart svg=@charts.name}}. */
  charts?: Record<string, ChartSpec>;
  /** The workflow history the report was built from, cited in its header so an auditor can fetch exactly that history. */
  sourceHistory?: HistoryCitation;
  /** The audit chain's head, signed as the report was rendered (issue 17): a copy of the anchor outside the database. */
  auditAnchor?: AnchorCitation;
  /**
   * Some of the report's inputs came from stand-ins: the report carries a
   * "모의 데이터 / SIMULATED DATA" banner naming them, and says so on every page.
   */
  simulated?: SimulatedInputs;
}

/** The stand-ins a report's data came from, by their names (`STAND_IN_NAMES`, a reading's `measuredBy`). */
export interface SimulatedInputs {
  inputs: string[];
}

export interface HistoryCitation {
  workflowId: string;
  runId: string;
  events: number;
  sha256: string;
}

/** Everything the signature covers, printed exactly (the instant to the millisecond), so the printed anchor can be checked. */
export type AnchorCitation = Pick<AuditAnchor, 'no' | 'seq' | 'hash' | 'signedAt' | 'sealedFrom' | 'keyId' | 'signature'>;

export interface RenderedReport {
  pdf: Uint8Array;
  sha256: string;
  html: string;
}

const PDF_OPTIONS: PDFOptions = { printBackground: true, preferCSSPageSize: true, tagged: false, outline: false };

const hb = createTemplateEngine();
const compiled = new Map<string, HandlebarsTemplateDelegate>();
let styles: string | undefined;

function loadTemplates(): void {
  if (styles !== undefined) return;
  const partialsDir = path.join(TEMPLATES_DIR, 'partials');
  for (const file of readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'))) {
    hb.registerPartial(path.basename(file, '.hbs'), readFileSync(path.join(partialsDir, file), 'utf8'));
  }
  styles = readFileSync(path.join(TEMPLATES_DIR, 'styles.css'), 'utf8');
}

function template(name: string): HandlebarsTemplateDelegate {
  if (!/^[a-z0-9-]+(\/[a-z0-9-]+)*$/.test(name)) throw new Error(`invalid template name: ${name}`);
  let t = compiled.get(name);
  if (!t) {
    const source = readFileSync(path.join(TEMPLATES_DIR, `${name}.hbs`), 'utf8');
    compiled.set(name, (t = hb.compile(source, { strict: true, noEscape: false })));
  }
  return t;
}

/** The report as self-contained HTML (styles and charts inlined); no browser needed. */
export function renderReportHtml(input: ReportInput): string {
  loadTemplates();
  const charts: Record<string, Handlebars.SafeString> = {};
  for (const [name, spec] of Object.entries(input.charts ?? {})) {
    const svg = renderChartSvg(spec.option, { width: spec.width, height: spec.height, idPrefix: `chart-${name}` });
    charts[name] = new hb.SafeString(svg);
  }
  const data = { locale: input.locale, timeZone: input.timeZone ?? DEFAULT_TIME_ZONE, charts };
  const body = template(input.template)(input.data, { data });
  return template('layout')(
    {
      ...input.data,
      title: input.title,
      documentDate: input.documentDate,
      sourceHistory: input.sourceHistory ?? null,
      auditAnchor: input.auditAnchor ?? null,
      simulated: input.simulated?.inputs.length ? input.simulated : null,
      styles: new hb.SafeString(styles!),
      body: new hb.SafeString(body),
    },
    { data },
  );
}

/** `D:YYYYMMDDHHmmSS+00'00'` in UTC, the fixed-length form Chromium writes. */
export function pdfDate(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `D:${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}+00'00'`;
}

/**
 * Replaces the /CreationDate and /ModDate Chromium stamps with `date`, byte for
 * byte the same length, so the xref offsets stay valid and the output depends
 * only on the report data.
 */
export function setPdfDates(pdf: Uint8Array, date: Date): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const stamp = pdfDate(date);
  let replaced = 0;
  const out = text.replace(/\/(CreationDate|ModDate) \((D:[^)]*)\)/g, (whole, key: string, old: string) => {
    if (old.length !== stamp.length) throw new Error(`unexpected PDF date format: ${old}`);
    replaced++;
    return `/${key} (${stamp})`;
  });
  if (replaced === 0) throw new Error('PDF has no /CreationDate or /ModDate to set');
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

export function createReportRenderer(deps: { browser: BrowserPool }) {
  return {
    async renderReport(input: ReportInput): Promise<RenderedReport> {
      const html = renderReportHtml(input);
      const pdf = setPdfDates(await deps.browser.render(html, PDF_OPTIONS), input.documentDate);
      return { pdf, sha256: createHash('sha256').update(pdf).digest('hex'), html };
    },
  };
}
