import type { Incident } from '../../api/types';
import type { MessageKey } from '../../i18n/ko';

/**
 * The catalogue key of an incident's status and of a timeline event's type: typed by the generated
 * API, so a status or event the API gains without a label fails the console's type check.
 */
export const statusLabel = (status: Incident['status']): MessageKey => `status_${status}`;
export const eventLabel = (type: Incident['timeline'][number]['type']): MessageKey => `event_${type}`;
