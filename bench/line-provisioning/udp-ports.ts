import dgram from 'node:dgram';

/** A UDP port p with p + 2 also free: Kamailio's SIP port and the SIPp answering point's. */
export async function freeUdpPair(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const p = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await udpFree(p)) && (await udpFree(p + 2))) return p;
  }
  throw new Error('no free UDP port pair found');
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}
