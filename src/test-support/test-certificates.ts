import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Prerequisite } from "./prerequisite.js";

/** Debian's openssl, which makes the test certificates. */
export const OPENSSL: Prerequisite = {
  name: "openssl",
  present: (() => {
    try {
      execFileSync("openssl", ["version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })(),
  install: "apt-get install -y openssl",
};

/** Files of a throw-away PKI: a CA, a server certificate it signed, and an unrelated CA. */
export interface TestCertificates {
  readonly dir: string;
  /** The CA nodes are told to trust (--ca). */
  readonly caFile: string;
  /** The aggregator's certificate (127.0.0.1 and localhost) and key. */
  readonly certFile: string;
  readonly keyFile: string;
  /** Another self-signed CA, which did not sign the aggregator's certificate. */
  readonly otherCaFile: string;
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  readonly otherCa: string;
  remove(): void;
}

/** Makes a fresh CA and a server certificate for 127.0.0.1 with openssl (P-256, one day). */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), "fedtau-tls-"));
  const at = (f: string) => join(dir, f);
  const openssl = (...args: string[]) =>
    execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl(
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "1",
    "-subj",
    "/CN=fedtau test CA",
  );
  openssl("req", ...ec, "-keyout", "key.pem", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  writeFileSync(
    at("server.ext"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n",
  );
  openssl(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "cert.pem",
    "-days",
    "1",
    "-extfile",
    "server.ext",
  );
  openssl(
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "other.key",
    "-out",
    "other.pem",
    "-days",
    "1",
    "-subj",
    "/CN=another CA",
  );
  const read = (f: string) => readFileSync(at(f), "utf8");
  return {
    dir,
    caFile: at("ca.pem"),
    certFile: at("cert.pem"),
    keyFile: at("key.pem"),
    otherCaFile: at("other.pem"),
    ca: read("ca.pem"),
    cert: read("cert.pem"),
    key: read("key.pem"),
    otherCa: read("other.pem"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
