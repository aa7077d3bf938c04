/** The provisioning request of bench line i: an extension, every other one with a CTI agent. */
export const lineRequest = (i: number, dnBase: number) => ({
  center: '상담 1센터',
  dn: String(dnBase + i),
  displayName: `벤치 ${i}`,
  lineType: 'extension' as const,
  // Every other line has an agent, so half of them also go through the CTI.
  ...(i % 2 === 0
    ? { agent: { loginId: `bench.${dnBase + i}@bench.example`, name: `벤치 상담원 ${i}`, team: '상담1팀', skills: [{ name: '상담', proficiency: 3 }] } }
    : {}),
});

/** The contract that moves bench line i on from PENDING_CONTRACT. */
export const contract = (i: number) => ({
  contractNo: `BENCH-${i}`,
  carrier: 'KT',
  monthlyFee: 33_000,
  termMonths: 36,
  signedAt: new Date().toISOString().slice(0, 10),
});
