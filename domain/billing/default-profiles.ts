import type { BillProfileInput } from './contracts';

/**
 * Starting layouts for the three carriers, until an operator saves a carrier's own profile.
 * They differ as carriers' exports do: in names, column order and title rows above the header.
 * A field's first name is the one written by test fixtures; the others are accepted too.
 */
export const DEFAULT_BILL_PROFILES: Record<string, BillProfileInput> = {
  // A title line and the customer's line above the header.
  KT: {
    displayName: 'KT',
    aliases: ['KT', '케이티', '주식회사 케이티'],
    skipRows: 2,
    columns: {
      number: ['서비스번호', '회선번호'],
      month: ['청구년월'],
      baseFee: ['기본료'],
      usageFee: ['통화료'],
      addOnFee: ['부가서비스료'],
      discount: ['할인액'],
      total: ['청구금액'],
      dueDate: ['납부기한'],
    },
  },
  SKB: {
    displayName: 'SK브로드밴드',
    aliases: ['SKB', 'SK Broadband', 'SK브로드밴드'],
    skipRows: 0,
    columns: {
      number: ['전화번호'],
      month: ['사용월'],
      baseFee: ['월정액'],
      usageFee: ['사용료'],
      addOnFee: ['부가사용료'],
      discount: ['할인금액'],
      total: ['합계금액'],
      dueDate: ['납기일'],
    },
  },
  // One title line above the header, and the month before the number.
  LGU: {
    displayName: 'LG유플러스',
    aliases: ['LGU+', 'LG U+', 'LG유플러스', 'LGU'],
    skipRows: 1,
    columns: {
      month: ['청구월'],
      number: ['회선번호', '전화번호'],
      baseFee: ['기본요금'],
      usageFee: ['통화요금'],
      addOnFee: ['부가서비스요금'],
      discount: ['할인'],
      total: ['합계'],
      dueDate: ['납부마감일'],
    },
  },
};
