import { readFileSync } from "node:fs";

/** The aggregator's certificate (chain) and private key, PEM. */
export interface ServerTls {
  readonly cert: string;
  readonly key: string;
}

/** Reads `--tls-cert` and `--tls-key`; throws a sentence naming the file that cannot be used. */
export function loadServerTls(certFile: string, keyFile: string): ServerTls {
  const cert = readPem(certFile, "--tls-cert", "CERTIFICATE");
  const key = readPem(keyFile, "--tls-key", "PRIVATE KEY");
  return { cert, key };
}

/** Reads `--ca`: the certificate(s) a node trusts for the aggregator, PEM. */
export function loadCa(caFile: string): string {
  return readPem(caFile, "--ca", "CERTIFICATE");
}

function readPem(file: string, flag: string, kind: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`${flag}: cannot read ${file}: ${(error as Error).message}`);
  }
  if (!new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(text)) {
    throw new Error(`${flag}: ${file} holds no PEM ${kind.toLowerCase()}`);
  }
  return text;
}
