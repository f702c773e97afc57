#!/usr/bin/env python3
"""Makes the damaged copies in ../captures from their intact originals (run in ../captures)."""
import struct

pcap = bytearray(open("sipp.pcap", "rb").read())
records, offset = [], 24
while offset + 16 <= len(pcap):
    captured = struct.unpack("<I", pcap[offset + 8 : offset + 12])[0]
    records.append((offset, captured))
    offset += 16 + captured
# Packet 5: the IPv4 header's version nibble becomes 0.
ip = records[4][0] + 16 + 14
pcap[ip] = 0x05
# Packet 17 (an INVITE): the first digit of Content-Length becomes 'x'.
start, captured = records[16]
body = bytes(pcap[start + 16 : start + 16 + captured])
at = start + 16 + body.find(b"Content-Length: ") + len("Content-Length: ")
pcap[at] = ord("x")
open("sipp-corrupt.pcap", "wb").write(pcap)

# pcapng: the trailing length of the third enhanced packet block is off by 4.
ng = bytearray(open("tcp-ipv4.pcapng", "rb").read())
offset, packets = 0, 0
while offset < len(ng):
    kind, length = struct.unpack("<II", ng[offset : offset + 8])
    if kind == 6:
        packets += 1
        if packets == 3:
            ng[offset + length - 4 : offset + length] = struct.pack("<I", length + 4)
    offset += length
open("tcp-ipv4-corrupt.pcapng", "wb").write(ng)
