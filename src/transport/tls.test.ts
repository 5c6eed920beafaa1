import { afterAll, describe, expect } from "vitest";
import { itNeeds } from "../test-support/prerequisite.js";
import {
  makeTestCertificates,
  OPENSSL,
  type TestCertificates,
} from "../test-support/test-certificates.js";
import { connectFramed } from "./connect-framed.js";
import type { FramedConnection } from "./framed-connection.js";
import { FramedServer } from "./framed-server.js";
import type { Received } from "./received.js";
import { isTrustFailure } from "./tls-trust.js";

const itTls = itNeeds(OPENSSL);
let certs: TestCertificates | undefined;
const servers: FramedServer[] = [];

afterAll(async () => {
  for (const s of servers) await s.close();
  certs?.remove();
});

function theCerts(): TestCertificates {
  certs ??= makeTestCertificates();
  return certs;
}

async function echoServer(): Promise<FramedServer> {
  const { cert, key } = theCerts();
  const server = await FramedServer.listen({ tls: { cert, key } }, ({ connection }) => {
    connection.onMessage((r) => {
      if (r.ok && r.message.type === "heartbeat") connection.send(r.message);
    });
  });
  servers.push(server);
  return server;
}

function next(conn: FramedConnection): Promise<Received> {
  return new Promise((resolve) => {
    const off = conn.onMessage((r) => {
      off();
      resolve(r);
    });
  });
}

describe("framed connections over TLS (wss://)", () => {
  itTls("carry frames when the node trusts the aggregator's CA", async () => {
    const server = await echoServer();
    expect(server.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    const conn = await connectFramed(server.url, { ca: theCerts().ca });
    const answer = next(conn);
    conn.send({ type: "heartbeat", sentAtMs: 42 });
    const r = await answer;
    expect(r.ok && r.message).toMatchObject({ type: "heartbeat", sentAtMs: 42 });
    conn.close();
  });

  itTls("refuse an aggregator signed by another CA, or by none the system knows", async () => {
    const server = await echoServer();
    const wrong = await connectFramed(server.url, { ca: theCerts().otherCa }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(wrong).toBeInstanceOf(Error);
    expect((wrong as Error).message).toMatch(/^Cannot connect to wss:\/\/127\.0\.0\.1:\d+: /);
    expect(isTrustFailure(wrong)).toBe(true);
    const system = await connectFramed(server.url).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isTrustFailure(system)).toBe(true);
  });

  itTls("do not speak plain ws:// to a wss:// aggregator", async () => {
    const server = await echoServer();
    const plain = server.url.replace("wss:", "ws:");
    await expect(connectFramed(plain, { handshakeTimeoutMs: 5000 })).rejects.toThrow(
      /^Cannot connect to ws:/,
    );
  });
});
