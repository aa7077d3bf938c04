import { dayOfIsoDate, localDayIndex, parseInstant } from '../../../domain/calendar/local-time';
import type { Device, Metric } from '../../../domain/inspection/contracts';
import { messageOf } from './sweep';
import { reading, type Outcome, type SystemCollector } from './types';
import { SEOUL_OFFSET_MINUTES } from '../../../domain/calendar/seoul';

/**
 * End of sale/support from the asset register, no network: `eos` and `eol`
 * are days from asOf's calendar date in Asia/Seoul to the device's date
 * (negative once it has passed). A device without a date has nothing to
 * report and is not a failure: vendors announce dates late. A date that is
 * not one (the register is edited by hand) fails that device only.
 */

const DATES: ReadonlyArray<[Metric, (d: Device) => string | null]> = [
  ['eos', (d) => d.eosDate],
  ['eol', (d) => d.eolDate],
];

export const assetCollector: SystemCollector = async (target, devices, options) => {
  const today = localDayIndex(parseInstant(options.asOf), SEOUL_OFFSET_MINUTES);
  const collectedAt = new Date().toISOString();
  const outcome: Outcome = { readings: [], failures: [] };
  devices.forEach((device, i) => {
    try {
      // All of a device's dates or none: a failed device has no readings.
      const taken = DATES.flatMap(([metric, dateOf]) => {
        const date = dateOf(device);
        if (date === null) return [];
        return [
          reading(target, device.id, {
            metric,
            value: dayOfIsoDate(date) - today,
            capacity: null,
            unit: 'days',
            collectedAt,
            measuredBy: 'asset-register',
            source: 'vendor',
          }),
        ];
      });
      outcome.readings.push(...taken);
    } catch (err) {
      outcome.failures.push({ deviceId: device.id, error: messageOf(err) });
    }
    options.onDeviceDone?.(i + 1, devices.length);
  });
  return { ...target, devices: devices.length, ...outcome };
};
