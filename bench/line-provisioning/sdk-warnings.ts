/**
 * The Temporal SDK logs in plain text, one warning over several lines:
 * "… [WARN] Activity failed {", then its fields. Returns a line reader that
 * hands `warn` one line per such warning: its header, activity type and error.
 */
export function sdkWarningReader(warn: (w: string) => void): (line: string) => void {
  let block: { header: string; activityType?: string } | undefined;
  return (line) => {
    const header = /\[(WARN|ERROR)\] (.*?)\s*\{?$/.exec(line);
    if (header) {
      block = { header: header[2] };
      return;
    }
    if (!block) return;
    const type = /^\s+activityType: '([^']+)'/.exec(line);
    if (type) block.activityType = type[1];
    const error = /^\s+error: (.*)$/.exec(line);
    if (error || /^\}/.test(line)) {
      warn([block.header, block.activityType, error?.[1]].filter(Boolean).join(': ').slice(0, 300));
      block = undefined;
    }
  };
}
