/** Korean: the reviews pages. */
export const reviews = {
  navTitle_reviews: '점검·분기 리뷰',
} as const;
