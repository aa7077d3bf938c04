import type { reviews as ko } from '../ko/reviews';

/** English: the reviews pages. */
export const reviews: Record<keyof typeof ko, string> = {
  navTitle_reviews: 'Inspections & QSR',
};
