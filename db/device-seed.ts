import type { DeviceSystem } from '../domain/inspection/contracts';
import type { DeviceRow } from './devices.repo';

/**
 * Asset registers for demos and benchmarks. Models are of the kind Korean
 * contact-center sites run; end dates are illustrative, not vendor
 * announcements. `demoDevices` has a couple of EOS dates within 180 days of
 * December 2026 (and one already past), so a December inspection has
 * something to say about assets.
 */

export const DEMO_CENTERS = ['상담1센터', '상담2센터', '상담3센터'] as const;

type Template = Omit<DeviceRow, 'id' | 'center' | 'system'>;

const PBX_MODELS = ['Avaya Aura CM 10.1 (HPE ProLiant DL360 Gen10)', 'Cisco Unified CM 14 (Cisco UCS C220 M5)', 'Ericsson-LG iPECS-CM (Dell PowerEdge R650)'];
const TEMPLATES: Record<DeviceSystem, Template[]> = {
  PBX: [
    { name: 'PBX 주장비', model: '', capacity: { lines: 800, trunks: 8 }, eosDate: null, eolDate: null },
    { name: 'PBX 예비장비', model: '', capacity: { lines: 800, trunks: 8 }, eosDate: null, eolDate: null },
  ],
  CTI: [
    { name: 'CTI 서버 #1', model: 'Genesys Engage 8.5 (Dell PowerEdge R740)', capacity: {}, eosDate: null, eolDate: null },
    { name: 'CTI 서버 #2', model: 'Genesys Engage 8.5 (Dell PowerEdge R740)', capacity: {}, eosDate: null, eolDate: null },
  ],
  IVR: [
    { name: 'IVR 서버 #1', model: 'Bridgetec IPRON IVR 5 (HPE ProLiant DL380 Gen10)', capacity: { ports: 120 }, eosDate: null, eolDate: null },
    { name: 'IVR 서버 #2', model: 'Bridgetec IPRON IVR 5 (HPE ProLiant DL380 Gen10)', capacity: { ports: 120 }, eosDate: null, eolDate: null },
    { name: 'IVR 서버 #3', model: 'Bridgetec IPRON IVR 5 (HPE ProLiant DL380 Gen10)', capacity: { ports: 60 }, eosDate: null, eolDate: null },
  ],
  REC: [
    { name: '녹취 서버 #1', model: 'NICE Engage Platform 6.6 (HPE ProLiant DL380 Gen10)', capacity: { ports: 400 }, eosDate: null, eolDate: null },
    { name: '녹취 서버 #2', model: 'NICE Engage Platform 6.6 (HPE ProLiant DL380 Gen10)', capacity: { ports: 400 }, eosDate: null, eolDate: null },
  ],
  ERS: [{ name: 'ERS 서버', model: 'ERS 3.2 (Dell PowerEdge R640)', capacity: {}, eosDate: null, eolDate: null }],
  NET: [
    { name: 'L3 코어 스위치', model: 'Cisco Catalyst 9500-24Y4C', capacity: { ports: 28 }, eosDate: null, eolDate: null },
    { name: 'L2 액세스 스위치 #1', model: 'Cisco Catalyst 2960X-48FPD-L', capacity: { ports: 48 }, eosDate: null, eolDate: null },
    { name: 'L2 액세스 스위치 #2', model: 'Cisco Catalyst 2960X-48FPD-L', capacity: { ports: 48 }, eosDate: null, eolDate: null },
  ],
};

/** How many of each system's templates a center has: 1–3, different per center. */
const COUNTS: Array<Record<DeviceSystem, number>> = [
  { PBX: 2, CTI: 2, IVR: 2, REC: 2, ERS: 1, NET: 3 },
  { PBX: 1, CTI: 1, IVR: 3, REC: 1, ERS: 1, NET: 2 },
  { PBX: 2, CTI: 1, IVR: 1, REC: 2, ERS: 1, NET: 1 },
];

/** End dates per device id: near ones (2027-02, 2027-05: within 180 days of December 2026), a far one, and one already past. */
const END_DATES: Record<string, Pick<DeviceRow, 'eosDate' | 'eolDate'>> = {
  'C1-NET-02': { eosDate: '2027-02-28', eolDate: '2027-10-31' },
  'C1-NET-03': { eosDate: '2027-02-28', eolDate: '2027-10-31' },
  'C2-REC-01': { eosDate: '2027-05-15', eolDate: '2028-05-31' },
  'C3-PBX-01': { eosDate: '2025-12-31', eolDate: '2028-12-31' },
  'C3-IVR-01': { eosDate: '2029-06-30', eolDate: null },
};

export function demoDevices(): DeviceRow[] {
  return DEMO_CENTERS.flatMap((center, c) =>
    (Object.keys(TEMPLATES) as DeviceSystem[]).flatMap((system) =>
      TEMPLATES[system].slice(0, COUNTS[c]![system]).map((t, i): DeviceRow => {
        const id = `C${c + 1}-${system}-${String(i + 1).padStart(2, '0')}`;
        const model = system === 'PBX' ? PBX_MODELS[c]! : t.model;
        return { ...t, id, center, system, model, capacity: { ...t.capacity }, ...END_DATES[id] };
      }),
    ),
  );
}

const SYSTEMS: readonly DeviceSystem[] = ['PBX', 'CTI', 'IVR', 'REC', 'ERS', 'NET'];

/**
 * `n` devices over `centers` centers (상담1센터…), for benchmarks: the same
 * list for the same arguments. Systems and centers take turns, so every
 * center has every system once n ≥ 6 × centers; one device in seven has an
 * EOS date, spread over 2026–2028.
 */
export function syntheticDevices(n: number, centers = 3): DeviceRow[] {
  return Array.from({ length: n }, (_, i): DeviceRow => {
    const c = i % centers;
    const system = SYSTEMS[Math.floor(i / centers) % SYSTEMS.length]!;
    const seq = Math.floor(i / (centers * SYSTEMS.length)) + 1;
    const templates = TEMPLATES[system];
    const t = templates[(seq - 1) % templates.length]!;
    const eos = i % 7 === 3 ? `${2026 + (i % 3)}-${String((i % 12) + 1).padStart(2, '0')}-28` : null;
    return {
      id: `S${c + 1}-${system}-${String(seq).padStart(3, '0')}`,
      center: `상담${c + 1}센터`,
      system,
      name: `${t.name.replace(/ #\d+$/, '')} #${seq}`,
      model: system === 'PBX' ? PBX_MODELS[c % PBX_MODELS.length]! : t.model,
      capacity: { ...t.capacity },
      eosDate: eos,
      eolDate: null,
    };
  });
}
