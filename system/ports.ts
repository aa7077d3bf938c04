import dgram from 'node:dgram';
import net from 'node:net';

/** A free TCP port on loopback, as the kernel hands it out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A free TCP port below 32768, for a server that stores its ports as a PostgreSQL smallint (the
 * Temporal server's cluster membership); the kernel hands out its ephemeral ports above that.
 */
export async function freeLowPort(): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const p = 10_000 + Math.floor(Math.random() * 22_000);
    if (await tcpFree(p)) return p;
  }
  throw new Error('no free TCP port below 32768 found');
}

/**
 * A UDP port p with p + 2 also free, and TCP p + 1: Kamailio's SIP port, the SIPp answering
 * point's, and the port between them that Kamailio's TCP listener may take.
 */
export async function freeUdpPair(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const p = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await udpFree(p)) && (await udpFree(p + 2)) && (await tcpFree(p + 1))) return p;
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

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
