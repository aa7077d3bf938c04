import type { OutboundPolicy } from '../../system/outbound-url';

/** The tests' webhook receivers listen on this machine: allowed by name, as NOTIFY_ALLOWED_HOSTS would. */
export const LOCAL_OUTBOUND: OutboundPolicy = { httpsOnly: false, allowedHosts: ['127.0.0.1', 'localhost'] };
