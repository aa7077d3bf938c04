/**
 * Terms for similarity search that work for Korean without a server-side
 * analyser: Hangul/CJK runs become character bigrams (the CJK-bigram approach
 * of Lucene's CJKAnalyzer), other words stay whole, all lower-cased.
 * "교환기 장애" → 교환, 환기, 장애; "PBX down" → pbx, down.
 */

const WORD = /[\p{L}\p{N}]+/gu;
const RUNS =
  /([\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+)|([^\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+)/gu;

export function searchTerms(...texts: Array<string | undefined>): string[] {
  const terms = new Set<string>();
  for (const text of texts) {
    for (const word of (text ?? '').normalize('NFC').toLowerCase().match(WORD) ?? []) {
      for (const [, cjk, other] of word.matchAll(RUNS)) {
        if (other) {
          if (other.length > 1 || /\p{N}/u.test(other)) terms.add(other);
        } else if (cjk) {
          if (cjk.length === 1) terms.add(cjk);
          for (let i = 0; i + 1 < cjk.length; i++) terms.add(cjk.slice(i, i + 2));
        }
      }
    }
  }
  return [...terms];
}
