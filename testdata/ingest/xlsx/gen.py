#!/usr/bin/python3
# gen.py - makes the workbooks of tests/0110-ingest-xlsx.t. Run once,
# in this directory; the .xlsx files are committed, so the tests need no
# Python. openpyxl writes the workbooks; a few cells are then rewritten
# in the sheet's XML to the exact text Excel itself writes (numbers in
# exponent form, inline strings, formula strings, error values), which
# openpyxl does not produce.
import datetime
import io
import re
import struct
import sys
import zipfile

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils.datetime import CALENDAR_MAC_1904


def patch(path, part, pairs):
    """Rewrite part of the zip at path, each (old, new) once."""
    zin = zipfile.ZipFile(path)
    items = [(i, zin.read(i.filename)) for i in zin.infolist()]
    zin.close()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == part:
                text = data.decode()
                for old, new in pairs:
                    assert text.count(old) == 1, (part, old)
                    text = text.replace(old, new)
                data = text.encode()
            z.writestr(info, data)
    with open(path, "wb") as f:
        f.write(out.getvalue())


def to_shared(path, keep):
    """Make the inline strings of the sheets shared strings, as Excel
    writes them (openpyxl 3.0 writes them inline), except the cells in
    keep; add xl/sharedStrings.xml, its relationship and content type."""
    zin = zipfile.ZipFile(path)
    items = [(i, zin.read(i.filename)) for i in zin.infolist()]
    zin.close()
    strings = []
    pat = re.compile(r'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")? t="inlineStr">'
                     r'<is><t>([^<]*)</t></is></c>')

    def share(m):
        if m.group(1) in keep:
            return m.group(0)
        if m.group(3) not in strings:
            strings.append(m.group(3))
        return '<c r="%s"%s t="s"><v>%d</v></c>' % (
            m.group(1), m.group(2) or "", strings.index(m.group(3)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            text = data.decode()
            if info.filename.startswith("xl/worksheets/sheet"):
                text = pat.sub(share, text)
            elif info.filename == "xl/_rels/workbook.xml.rels":
                text = text.replace("</Relationships>",
                    '<Relationship Id="rIdSST" Type="http://schemas.'
                    'openxmlformats.org/officeDocument/2006/relationships/'
                    'sharedStrings" Target="sharedStrings.xml"/>'
                    "</Relationships>")
            elif info.filename == "[Content_Types].xml":
                text = text.replace("</Types>",
                    '<Override PartName="/xl/sharedStrings.xml" '
                    'ContentType="application/vnd.openxmlformats-'
                    'officedocument.spreadsheetml.sharedStrings+xml"/>'
                    "</Types>")
            z.writestr(info, text.encode())
        sst = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<sst xmlns="http://schemas.openxmlformats.org/'
               'spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
               % (len(strings), len(strings))]
        for t in strings:
            sst.append("<si><t>%s</t></si>" % t)
        sst.append("</sst>")
        z.writestr("xl/sharedStrings.xml", "".join(sst).encode())
    with open(path, "wb") as f:
        f.write(out.getvalue())


def book():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Invoices"
    ws["A1"] = "Open items as of 2026-11-30"
    ws.append([])  # row 2: not written at all
    ws.append(["Invoice Number", "Vendor ID", "Invoice Date", "Due Date",
               "Currency", "Amount", "Quantity", "PO Number", "Note",
               "Approved"])
    d = datetime.date
    rows = [
        # 4: numbers as Excel writes them, identifiers stored as numbers
        ["INV-1001", 4500012345, d(2026, 10, 5), d(2026, 11, 4), "EUR",
         1234.5, 3, 777, "rich", True],
        # 5: a gap (no D5), 15 digits, exponent form
        ["INV-1002", "V2087", d(2026, 10, 12), None, "EUR",
         1234.56, 0.5, None, 777, False],
        # 6: 0.1 + 0.2 as a double, a formula string, text dates
        ["INV-1003", "V2087", "12.10.2026", "11.11.2026", "eur",
         0.30000000000000004, "1,5", "PO-77", 777, None],
        # 7: more decimals than the currency has
        ["INV-1004", "V3001", d(2026, 10, 20), None, "EUR", 19.0285, 1,
         None, None, None],
        # 8: an error value
        ["INV-1005", "V3001", d(2026, 10, 21), None, "EUR", 10, 1,
         777, None, None],
        # 9: date and time; JPY; a negative amount
        ["INV-1006", "V4000", 45000.75, 45000, "JPY", -125000, 2,
         None, None, None],
        # 10: serial 60, the 1900-02-29 that never was
        ["INV-1007", "V4000", 60, None, "EUR", 1, 1, None, None, None],
        # 11: serials 59 and 61 either side of it; 1/8 of a cent
        ["INV-1008", "V4000", 59, 61, "EUR", "1.234,5", 1, None, None,
         None],
    ]
    for r in rows:
        ws.append(r)
    for row in range(4, 12):
        ws.cell(row, 3).number_format = "yyyy-mm-dd"
        ws.cell(row, 4).number_format = "dd/mm/yyyy"
    ws["C9"].number_format = "m/d/yy h:mm"  # built-in 22
    ws["D9"].number_format = "mm-dd-yy"     # built-in 14
    ws["F4"].number_format = "#,##0.00"     # a number, not a date
    ws["C6"].number_format = "@"
    ws["D6"].number_format = "@"
    # 12: an empty row (a styled cell without a value); 13: a total
    ws["A12"].font = Font(bold=True)
    ws["A13"] = "Total"
    ws["F13"] = 1234.5
    notes = wb.create_sheet("Notes")
    notes.append(["Invoice Number", "Amount", "Currency"])
    notes.append(["N-1", 99.5, "USD"])
    notes.append(["N-2", 1.005, "KWD"])
    wb.save("book.xlsx")
    to_shared("book.xlsx", {"A1", "B9"})
    # rich text runs (openpyxl 3.0 writes none), and a phonetic run
    # that is not part of the text
    patch("book.xlsx", "xl/sharedStrings.xml", [
        ("<si><t>rich</t></si>",
         '<si><r><rPr><b/></rPr><t xml:space="preserve">Pallets, </t></r>'
         '<r><t>Oct</t></r><r><t xml:space="preserve"> freight</t></r>'
         '<rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>')])
    s = "xl/worksheets/sheet1.xml"
    patch("book.xlsx", s, [
        # Excel's own texts for these doubles
        ('<c r="F5" t="n"><v>1234.56</v>',
         '<c r="F5" t="n"><v>1234.5600000000001</v>'),
        ('<c r="G5" t="n"><v>0.5</v>', '<c r="G5" t="n"><v>1E-3</v>'),
        ('<c r="H4" t="n"><v>777</v>', '<c r="H4" t="n"><v>4.500012345E9</v>'),
        ('<c r="I5" t="n"><v>777</v>',
         '<c r="I5" t="n"><v>1.2345678901234567E+5</v>'),
        ('<c r="I6" t="n"><v>777</v>',
         '<c r="I6" t="str"><f>A6&amp;"-x"</f><v>INV-1003-x</v>'),
        ('<c r="H8" t="n"><v>777</v>', '<c r="H8" t="e"><f>VLOOKUP(A8,PO!A:B,2,0)</f><v>#N/A</v>'),
        # an inline string instead of a shared one
        ('<c r="F6" t="n"><v>0.3</v>',
         '<c r="F6" t="n"><v>0.30000000000000004</v>'),
        # Excel's escape of a character, in an inline string
        ('<is><t>V4000</t></is>', '<is><t>V4000_x0020_inline</t></is>'),
    ])


def book1904():
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Mac"
    ws.append(["Invoice Number", "Invoice Date", "Due Date", "Currency",
               "Amount"])
    ws.append(["M-1", datetime.date(2026, 10, 5), 0, "EUR", 100])
    ws.append(["M-2", datetime.date(1904, 1, 2), 60, "EUR", 200])
    for row in (2, 3):
        ws.cell(row, 2).number_format = "d.m.yyyy"
        ws.cell(row, 3).number_format = "d.m.yyyy"
    wb.save("book1904.xlsx")
    to_shared("book1904.xlsx", set())


def bills():
    # a NetSuite saved search of vendor bills saved as a workbook
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Results"
    ws.append(["Internal ID", "Date", "Type", "Document Number", "Name",
               "Memo", "Status", "Due Date", "Terms", "Currency", "Amount",
               "Amount (Foreign Currency)", "Approval Status",
               "Subsidiary"])
    d = datetime.date
    ws.append([48211, d(2026, 10, 5), "Bill", "INV-77120",
               "V1042 Northwind Components", "Pallets, Oct freight",
               "Bill:Open", d(2026, 11, 4), "Net 30", "USD", 12480,
               12480, "Approved", "Honeycomb Holdings Inc. : Honeycomb US"])
    ws.append([48244, "10/14/2026", "Bill Credit", "CM-3321",
               "V1042 Northwind Components", None, "Bill Credit:Open",
               None, None, "USD", -250, -250, "Approved",
               "Honeycomb Holdings Inc. : Honeycomb US"])
    ws.append([48263, d(2026, 10, 22), "Bill", "77-0042",
               "V5120 Kanto Seiki", None, "Bill:Open", d(2026, 11, 21),
               "Net 30", "JPY", 8210.5, 1250000, "Approved",
               "Honeycomb Holdings Inc. : Honeycomb Japan"])
    ws.append(["Total:", None, None, None, None, None, None, None, None,
               None, 20440.5, None, None, None])
    for row in range(2, 5):
        for col in (2, 8):
            ws.cell(row, col).number_format = "m/d/yyyy"
        for col in (11, 12):
            ws.cell(row, col).number_format = '"$"#,##0.00'
    wb.save("bills.xlsx")
    to_shared("bills.xlsx", set())


def mrbr():
    # SAP MRBR saved as a workbook: WRBTR as number cells, which show no
    # form (SAP's stored two decimals, or the currency's own), and one
    # as text, which does
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "MRBR"
    ws.append(["BUKRS", "BELNR", "GJAHR", "BUZEI", "LIFNR", "XBLNR",
               "BLDAT", "BUDAT", "WRBTR", "WAERS", "ZLSPR", "SPGRP",
               "SPGRM", "SPGRT", "SPGRQ"])
    ws.append(["1000", "5105600601", "2026", "000001", "0000104711",
               "RE-2026-11001", "20261116", "20261117", 4980, "EUR", "R",
               "X", None, None, None])
    ws.append(["2000", "5105600602", "2026", "000001", "0000300150",
               "INV-TK-57001", "20261116", "20261117", 1250, "JPY", "R",
               "X", None, None, None])
    ws.append(["2000", "5105600603", "2026", "000001", "0000300150",
               "INV-TK-57002", "20261117", "20261118", "1.250,00", "JPY",
               "R", None, "X", None, None])
    ws.append(["2000", "5105600604", "2026", "000001", "0000300150",
               "INV-TK-57003", "20261117", "20261118", 980, "JPY", "R",
               None, None, "X", None])
    ws.append(["3000", "5105600605", "2026", "000001", "0000400021",
               "KW/2026/0401", "20261118", "20261119", 12.5, "KWD", "R",
               None, None, None, "X"])
    wb.save("mrbr.xlsx")
    to_shared("mrbr.xlsx", set())


NUMBERS = ["-0", "1E+20", "9.9999999999999999E+22", "1.5E-7",
           "123456789012345678", "1.000000000000005", "1.000000000000015",
           "0.1E1", "1e5", "abc", "1E+400", "-1234.5"]


def numbers():
    # number cells as a writer may write them, one a row in column A
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "N"
    for i in range(len(NUMBERS)):
        ws.append([7770 + i])
    wb.save("numbers.xlsx")
    patch("numbers.xlsx", "xl/worksheets/sheet1.xml",
          [("<v>%d</v>" % (7770 + i), "<v>%s</v>" % t)
           for i, t in enumerate(NUMBERS)])


def times():
    # times, durations and dates by number format, built-in and custom
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "T"
    cells = [(0.5, "h:mm"), (1.5, "[h]:mm:ss"), (45000.5, "h:mm:ss"),
             (0.75, "h:mm AM/PM"), (45000.25, "yyyy-mm-dd hh:mm"),
             (45000, "mmm-yy"), (45000, "[Red]0.00"), (5, '"day "0'),
             (0, "mm-dd-yy"), (-1, "mm-dd-yy")]
    for v, f in cells:
        ws.append([v])
        ws.cell(ws.max_row, 1).number_format = f
    wb.save("times.xlsx")


def damaged():
    # the zip is cut: no central directory
    data = open("book.xlsx", "rb").read()
    open("cut.xlsx", "wb").write(data[:len(data) // 2])
    # a sheet whose XML breaks off inside a row
    zin = zipfile.ZipFile("book1904.xlsx")
    items = [(i, zin.read(i.filename)) for i in zin.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                data = text[:text.index('<row r="3"')].encode() + \
                    b'<row r="3"><c r="A3" t="inlineStr"><is><t>M-3</x>'
            z.writestr(info, data)
    open("badxml.xlsx", "wb").write(out.getvalue())
    # a sheet of 2 MiB of blanks that deflate to a few KiB
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                i = text.index("<sheetData>")
                data = (text[:i] + " " * (2 << 20) + text[i:]).encode()
            z.writestr(info, data)
    open("bomb.xlsx", "wb").write(out.getvalue())
    # the same, its zip headers lying: 1000 bytes, they say
    data = bytearray(open("bomb.xlsx", "rb").read())
    name = b"xl/worksheets/sheet1.xml"
    for sig, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30),
                                               (b"PK\x01\x02", 24, 28, 46)):
        i = data.find(sig)
        while i >= 0:
            n = struct.unpack_from("<H", data, i + name_len_at)[0]
            if data[i + name_at:i + name_at + n] == name:
                struct.pack_into("<I", data, i + size_at, 1000)
            i = data.find(sig, i + 4)
    open("liar.xlsx", "wb").write(data)
    # a zip that is no workbook
    with zipfile.ZipFile("notbook.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("hello.txt", "not a workbook\n")


def coupa():
    # the Coupa invoice export of ../coupa-invoices saved as a workbook,
    # every cell as text: row types merged as from the CSV
    import csv
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "invoices"
    with open("../coupa-invoices/invoices.csv", encoding="utf-8") as f:
        for row in csv.reader(f):
            ws.append([c if c != "" else None for c in row])
    wb.save("coupa.xlsx")
    to_shared("coupa.xlsx", set())


def lookalikes():
    # zips taken for workbooks: a binary workbook, an OpenDocument one
    # (their parts' names only: the reader looks no further)
    with zipfile.ZipFile("xlsb.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    with zipfile.ZipFile("ods.xlsx", "w", zipfile.ZIP_STORED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument."
                   "spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")


# gen.py [name ...]: only those (the others' bytes stay as committed)
todo = sys.argv[1:] or ["book", "book1904", "bills", "mrbr", "numbers",
                        "times", "damaged", "lookalikes", "coupa"]
for name in todo:
    globals()[name]()
