/**
 * A CSV that gives photos their values: one row per photo, `file name, value` (a header row is
 * recognised and skipped; commas, semicolons and tabs all work). Rows that cannot be used are refused one
 * by one, naming the row, so the rest still go in.
 */
import Papa from 'papaparse';
import { parseValue, type Quantity, type ValueProblem } from './regression';

export interface CsvValue {
  /** The file name as written (matched to photos without its folders and case-insensitively). */
  name: string;
  value: number;
  /** 1-based row in the file, for messages. */
  row: number;
}

export interface CsvRefusal {
  row: number;
  /** The row's first cell, or the row as written when it has none. */
  name: string;
  problem: ValueProblem | 'csv.missingValue' | 'csv.duplicate';
  /** The value cell as written. */
  text: string;
}

export interface ValueTable {
  values: CsvValue[];
  refused: CsvRefusal[];
}

/** Compares file names as people write them: the last path part, lower case. */
export function csvKey(name: string): string {
  return (name.split(/[\\/]/).pop() ?? name).trim().normalize('NFC').toLowerCase();
}

const HEADER = /^(file|filename|file name|name|image|photo|path)$/i;

/** Reads a values CSV against the quantity's range. */
export function readValueCsv(text: string, q: Quantity): ValueTable {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    skipEmptyLines: 'greedy',
    delimitersToGuess: [',', ';', '\t'],
  });
  // "7,5" with a comma delimiter would be two cells: Papa guesses ";" or tab when the file uses them.
  const rows = parsed.data;
  const values: CsvValue[] = [];
  const refused: CsvRefusal[] = [];
  const seen = new Set<string>();
  rows.forEach((cells, index) => {
    const row = index + 1;
    const name = (cells[0] ?? '').trim();
    const valueText = (cells[1] ?? '').trim();
    if (index === 0 && HEADER.test(name)) return;
    if (name === '' || valueText === '') {
      refused.push({ row, name: name || cells.join(','), problem: 'csv.missingValue', text: valueText });
      return;
    }
    const result = parseValue(valueText, q);
    if ('problem' in result) {
      refused.push({ row, name, problem: result.problem, text: valueText });
      return;
    }
    const key = csvKey(name);
    if (seen.has(key)) {
      refused.push({ row, name, problem: 'csv.duplicate', text: valueText });
      return;
    }
    seen.add(key);
    values.push({ name, value: result.value, row });
  });
  return { values, refused };
}
