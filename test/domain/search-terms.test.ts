import { searchTerms } from '../../domain/incident/search-terms';

test('Korean text becomes character bigrams, other words stay whole and lower-cased', () => {
  expect(searchTerms('상담 1센터 교환기(PBX) 장애')).toEqual(['상담', '1', '센터', '교환', '환기', 'pbx', '장애']);
});

test('the same word in another form shares its bigrams (교환기 / 교환기가)', () => {
  const a = new Set(searchTerms('교환기 장애'));
  expect(searchTerms('교환기가 멈춤').filter((t) => a.has(t))).toEqual(['교환', '환기']);
});

test('single Hangul syllables and punctuation-only input', () => {
  expect(searchTerms('콜 !!!')).toEqual(['콜']);
  expect(searchTerms('', undefined, '---')).toEqual([]);
});
