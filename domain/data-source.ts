import { z } from 'zod';

/**
 * Where data came from, as a person reading it must be told: a real system
 * (`vendor`: the customer's PBX, CTI or telemetry, or Butler's own records)
 * or a stand-in (`simulated`: the PBX simulator, the CTI emulator, the
 * telemetry simulator). Whatever is derived from simulated data says so:
 * readings and acceptance records in the API, a banner on the reports.
 */
export const DataSource = z.enum(['vendor', 'simulated']);
export type DataSource = z.infer<typeof DataSource>;

/** The vendor kinds a stand-in can replace. */
export const SIMULATED_VENDOR_KINDS = ['pbx', 'cti', 'telemetry'] as const;
export type SimulatedVendorKind = (typeof SIMULATED_VENDOR_KINDS)[number];

/** Which of the vendors the worker drives is a stand-in. */
export type SimulatedVendors = Record<SimulatedVendorKind, boolean>;

export const dataSource = (simulated: boolean): DataSource => (simulated ? 'simulated' : 'vendor');

/** What each stand-in is called where its data is named (a reading's `measuredBy`). */
export const STAND_IN_NAMES: Record<SimulatedVendorKind, string> = {
  pbx: 'pbx-simulator',
  cti: 'cti-emulator',
  telemetry: 'telemetry-simulator',
};
