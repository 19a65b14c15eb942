#!/usr/bin/env python3
# png-ink.py FILE: print "WIDTH HEIGHT INK COLOURS" for an 8-bit RGB(A)
# PNG: INK is the number of pixels that differ from the most common
# colour (the background), COLOURS the number of distinct colours. The
# browser test uses it to tell a rendered report from a blank page.
# Written for the tests; no image library needed.
import struct, sys, zlib
from collections import Counter

data = open(sys.argv[1], 'rb').read()
if data[:8] != b'\x89PNG\r\n\x1a\n':
    sys.exit('not a PNG')
pos, idat, w = 8, b'', 0
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
        if depth != 8 or ctype not in (2, 6):
            sys.exit('only 8-bit RGB or RGBA')
        bpp = 3 if ctype == 2 else 4
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colours = Counter()
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1:
            line[i] = (line[i] + a) & 255
        elif f == 2:
            line[i] = (line[i] + b) & 255
        elif f == 3:
            line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[i] = (line[i] + pr) & 255
    for x in range(0, stride, bpp):
        colours[bytes(line[x:x + 3])] += 1
    prev = line
bg, nbg = colours.most_common(1)[0]
print(w, h, w * h - nbg, len(colours))
