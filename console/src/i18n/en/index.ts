import type { MessageKey } from '../ko';
import { incidents } from './incidents';
import { lines } from './lines';
import { changes } from './changes';
import { reviews } from './reviews';
import { audit } from './audit';
import { admin } from './admin';
import { bills } from './bills';

/** The console's English catalogue: every Korean key, in English (the type refuses a missing one). */
export const en: Record<MessageKey, string> = { ...incidents, ...lines, ...changes, ...reviews, ...audit, ...admin, ...bills };
