import type { AuditAnchor } from './seal';

/** What an audit anchor workflow is asked: why, by whom; `signed`: an anchor already signed (on demand, by the API), to mail only. */
export interface AuditAnchorRequest {
  reason: string;
  requestedBy: string;
  signed?: AuditAnchor;
}

/** The mail that carries an anchor out of the database, to the auditors: Korean first, then English, then the anchor itself. */
export function anchorNoticeText(anchor: AuditAnchor): { subject: string; text: string } {
  const json = JSON.stringify(anchor, null, 2);
  return {
    subject: `[Butler] 감사 로그 앵커 #${anchor.no} (항목 ${anchor.seq}까지) · Audit chain anchor #${anchor.no}`,
    text: [
      `감사 로그(해시 체인)의 ${anchor.seq}번 항목까지를 Butler의 감사 키(${anchor.keyId})로 서명한 앵커입니다.`,
      '이 메일을 보관하십시오. 데이터베이스 밖에 있는 이 사본이, 나중에 체인이 다시 쓰이거나 끝이 지워지지 않았음을 증명합니다.',
      `확인: 아래 JSON을 파일(예: anchor-${anchor.no}.json)로 저장한 뒤 npm run audit:verify -- --anchor anchor-${anchor.no}.json`,
      '',
      `The audit chain up to entry ${anchor.seq}, signed with Butler's audit key ${anchor.keyId}. Keep this mail: this copy, outside`,
      'the database, is what later shows the chain was not rewritten nor its end removed.',
      `Check: save the JSON below as a file (e.g. anchor-${anchor.no}.json), then npm run audit:verify -- --anchor anchor-${anchor.no}.json`,
      '',
      `seq ${anchor.seq} · hash ${anchor.hash} · ${anchor.signedAt}`,
      '',
      json,
    ].join('\n'),
  };
}
