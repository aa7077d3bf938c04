import type { ConsoleStack } from './stack';

const SEVERITIES = ['P1', 'P2', 'P3', 'P4'] as const;
const SYSTEMS = ['PBX', 'CTI', 'IVR', 'REC', 'NET'] as const;
const CENTERS = ['상담 1센터', '상담 2센터', '상담 3센터'] as const;

/** `n` open incidents through the API, eight at a time (monitoring's token), varied as a real queue is; the milliseconds it took. */
export async function seedOpenIncidents(stack: ConsoleStack, n: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      await stack.call('automation', 'post', '/api/v1/incidents', {
        title: `${CENTERS[i % 3]} ${SYSTEMS[i % 5]} 경보 #${i + 1}`,
        description: `모니터링 경보 ${i + 1}: 임계치 초과`,
        severity: SEVERITIES[i % 4],
        complexity: i % 3 === 0 ? 'complex' : 'simple',
        system: SYSTEMS[i % 5],
        center: CENTERS[i % 3],
        source: 'monitoring',
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return performance.now() - started;
}
