/**
 * A command the simulator ran and refused. Kamailio 5.6's jsonrpcs answers
 * every such refusal (an unknown method included) with HTTP 500 and error
 * code 500; the messages below are Kamailio's own, captured from it.
 */
export class RpcFault extends Error {
  override name = 'RpcFault';
  constructor(
    message: string,
    readonly code = 500,
  ) {
    super(message);
  }
}

export const KAMAILIO_FAULTS = {
  methodNotFound: 'Method Not Found',
  invalidParameters: 'Invalid parameters',
  noTranslation: 'No translation',
  dialplanIdNotMatched: 'Dialplan ID not matched',
  dialplanReloadFailed: 'Dialplan Reload Failed',
  dispatcherReloadFailed: 'Reload Failed',
  addressReloadFailed: 'Reload failed.',
  noDestinationSets: 'No Destination Sets',
  ulTableNotFound: 'Domain table not found',
  ulMissingParameters: 'Not enough parameters (table and AOR to lookup)',
} as const;
