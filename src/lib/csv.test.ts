import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { csvCell, toCsv, UTF8_BOM } from './csv.js';

describe('csv', () => {
  test('cells a spreadsheet would run as formulas get a leading apostrophe', () => {
    for (const text of ['=SUM(A1)', '+1', '-2+3', '@cmd', '\tx', '\rx']) {
      assert.equal(csvCell(text).replace(/^"|"$/g, '').startsWith(`'`), true, JSON.stringify(text));
    }
    assert.equal(csvCell('=HYPERLINK("evil")'), `"'=HYPERLINK(""evil"")"`);
    assert.equal(csvCell('Plain title'), 'Plain title');
    assert.equal(csvCell('a = b'), 'a = b');
    assert.equal(csvCell(-3), '-3', 'numbers stay numbers');
  });

  test('commas, quotes and line breaks are quoted; empty values are empty cells', () => {
    assert.equal(csvCell('a, b'), '"a, b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(undefined), '');
  });

  test('a file starts with the UTF-8 byte-order mark and ends each line with CRLF', () => {
    const text = toCsv(['name', 'votes'], [['Zoë', 3]]);
    assert.equal(text, `${UTF8_BOM}name,votes\r\nZoë,3\r\n`);
    assert.equal(Buffer.from(text, 'utf8').subarray(0, 3).toString('hex'), 'efbbbf');
    assert.equal(toCsv(['a'], [], { bom: false }), 'a\r\n');
  });
});
