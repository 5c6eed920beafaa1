#!/usr/bin/env python3
"""A packet-level link emulator (delay with jitter, random loss) for the network-namespace tests,
for kernels built without sch_netem (`tc qdisc ... netem`).

It runs inside the test's router namespace. iptables sends every forwarded packet of link k to
NFQUEUE numbers `base + 2k` (from the host) and `base + 2k + 1` (to the host); this process holds
each packet for delay +- jitter ms (uniform, seeded) and then lets it through, or drops it with
probability `loss`. Packets of one queue keep their order (a packet is never released before the
one ahead of it), as on a real path. Settings change at run time: one JSON object per line on
standard input, {"link": k, "delayMs": 100, "jitterMs": 20, "loss": 0.05}. It prints "ready"
once bound, "ok" after each change, {"passed": N, "dropped": N} for {"stats": true}, and exits
when standard input closes.

Only the standard library: raw netlink (NETLINK_NETFILTER, nfnetlink_queue), copy mode "meta"
(packet contents are never read).
"""

import heapq
import json
import os
import random
import select
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET = 0
NFQNL_MSG_VERDICT = 1
NFQNL_MSG_CONFIG = 2
NFQA_PACKET_HDR = 1
NFQA_VERDICT_HDR = 2
NFQA_CFG_CMD = 1
NFQA_CFG_PARAMS = 2
NFQA_CFG_QUEUE_MAXLEN = 3
NFQA_CFG_MASK = 4
NFQA_CFG_FLAGS = 5
NFQA_CFG_F_FAIL_OPEN = 1
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
NF_DROP = 0
NF_ACCEPT = 1


def attr(kind, payload):
    length = 4 + len(payload)
    return struct.pack("=HH", length, kind) + payload + b"\0" * ((4 - length % 4) % 4)


class Queues:
    def __init__(self, base, links, seed):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sock.bind((0, 0))
        self.seq = 0
        self.base = base
        self.rng = random.Random(seed)
        self.settings = {k: (0.0, 0.0, 0.0) for k in range(links)}
        self.last_due = {}
        self.heap = []
        self.passed = 0
        self.dropped = 0
        for k in range(links):
            for q in (base + 2 * k, base + 2 * k + 1):
                self.bind(q)

    def send(self, msg_type, queue, attrs, flags=NLM_F_REQUEST):
        self.seq += 1
        body = struct.pack("!BBH", socket.AF_UNSPEC, 0, queue) + b"".join(attrs)
        header = struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg_type,
                             flags, self.seq, 0)
        self.sock.send(header + body)

    def bind(self, queue):
        self.send(NFQNL_MSG_CONFIG, queue,
                  [attr(NFQA_CFG_CMD, struct.pack("!BxH", NFQNL_CFG_CMD_BIND, socket.AF_INET))],
                  NLM_F_REQUEST | NLM_F_ACK)
        self.expect_ack(queue)
        self.send(NFQNL_MSG_CONFIG, queue, [
            attr(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META)),
            attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", 4096)),
            attr(NFQA_CFG_FLAGS, struct.pack("!I", NFQA_CFG_F_FAIL_OPEN)),
            attr(NFQA_CFG_MASK, struct.pack("!I", NFQA_CFG_F_FAIL_OPEN)),
        ], NLM_F_REQUEST | NLM_F_ACK)
        self.expect_ack(queue)

    def expect_ack(self, queue):
        data = self.sock.recv(65536)
        length, kind = struct.unpack_from("=IH", data, 0)
        if kind == NLMSG_ERROR:
            (error,) = struct.unpack_from("=i", data, 16)
            if error != 0:
                raise OSError(-error, f"cannot bind NFQUEUE {queue}: {os.strerror(-error)}")

    def verdict(self, queue, packet_id, verdict):
        self.send(NFQNL_MSG_VERDICT, queue,
                  [attr(NFQA_VERDICT_HDR, struct.pack("!II", verdict, packet_id))])

    def receive(self):
        try:
            data = self.sock.recv(1 << 20)
        except OSError:
            return  # ENOBUFS: the kernel let those packets through (fail-open) or dropped them
        offset = 0
        now = time.monotonic()
        while offset + 16 <= len(data):
            length, kind = struct.unpack_from("=IH", data, offset)
            if length < 16:
                break
            if kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                (queue,) = struct.unpack_from("!H", data, offset + 18)
                packet_id = self.packet_id(data, offset + 20, offset + length)
                if packet_id is not None:
                    self.schedule(queue, packet_id, now)
            offset += (length + 3) & ~3

    @staticmethod
    def packet_id(data, start, end):
        while start + 4 <= end:
            length, kind = struct.unpack_from("=HH", data, start)
            if length < 4:
                return None
            if (kind & 0x7FFF) == NFQA_PACKET_HDR:
                return struct.unpack_from("!I", data, start + 4)[0]
            start += (length + 3) & ~3
        return None

    def schedule(self, queue, packet_id, now):
        link = (queue - self.base) // 2
        delay, jitter, loss = self.settings.get(link, (0.0, 0.0, 0.0))
        if loss > 0 and self.rng.random() < loss:
            self.verdict(queue, packet_id, NF_DROP)
            self.dropped += 1
            return
        self.passed += 1
        hold = max(0.0, delay + (self.rng.uniform(-jitter, jitter) if jitter > 0 else 0.0))
        due = max(now + hold / 1000.0, self.last_due.get(queue, 0.0))
        self.last_due[queue] = due
        if due <= now and not self.heap:
            self.verdict(queue, packet_id, NF_ACCEPT)
            return
        heapq.heappush(self.heap, (due, queue, packet_id))

    def release_due(self):
        now = time.monotonic()
        while self.heap and self.heap[0][0] <= now:
            _, queue, packet_id = heapq.heappop(self.heap)
            self.verdict(queue, packet_id, NF_ACCEPT)

    def timeout(self):
        if not self.heap:
            return 0.5
        return max(0.0, self.heap[0][0] - time.monotonic())


def main():
    args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
    queues = Queues(int(args.get("--base", "10")), int(args.get("--links", "1")),
                    int(args.get("--seed", "1")))
    print("ready", flush=True)
    stdin = sys.stdin.fileno()
    pending = b""
    while True:
        readable, _, _ = select.select([queues.sock, stdin], [], [], queues.timeout())
        if queues.sock in readable:
            queues.receive()
        if stdin in readable:
            chunk = os.read(stdin, 65536)
            if not chunk:
                break
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                if line.strip():
                    s = json.loads(line)
                    if s.get("stats"):
                        print(json.dumps({"passed": queues.passed, "dropped": queues.dropped}),
                              flush=True)
                        continue
                    queues.settings[int(s["link"])] = (float(s.get("delayMs", 0)),
                                                       float(s.get("jitterMs", 0)),
                                                       float(s.get("loss", 0)))
                    print("ok", flush=True)
        queues.release_due()
    # Let every held packet through before going.
    for _, queue, packet_id in sorted(queues.heap):
        queues.verdict(queue, packet_id, NF_ACCEPT)


if __name__ == "__main__":
    main()
