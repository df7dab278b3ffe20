/**
 * @module data/arrow-export
 * A query's result written as an Arrow IPC stream, one record batch per DuckDB chunk (2,048 rows),
 * so the result is never held whole: each chunk is fetched from DuckDB's streaming result,
 * converted column by column and written out before the next is fetched. Fixed-width columns are
 * built straight from their values (integers, floats, booleans, dates, timestamps with their unit);
 * text and bytes go through Arrow's builders; DECIMAL becomes a double when it has at most 15 digits
 * (exact text otherwise), and nested, interval, time and other types are written as their JSON text.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection, DuckDBDataChunk, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import type * as Arrow from 'apache-arrow';

type ArrowModule = typeof Arrow;

interface ColumnPlan {
  type: Arrow.DataType;
  /** The chunk's column as Arrow data. */
  data(chunk: DuckDBDataChunk, index: number): Arrow.Data;
}

/** DuckDB type ids (`DuckDBTypeId`), kept here so the native module loads only on use. */
const T = {
  BOOLEAN: 1,
  TINYINT: 2,
  SMALLINT: 3,
  INTEGER: 4,
  BIGINT: 5,
  UTINYINT: 6,
  USMALLINT: 7,
  UINTEGER: 8,
  UBIGINT: 9,
  FLOAT: 10,
  DOUBLE: 11,
  TIMESTAMP: 12,
  DATE: 13,
  VARCHAR: 17,
  BLOB: 18,
  DECIMAL: 19,
  TIMESTAMP_S: 20,
  TIMESTAMP_MS: 21,
  TIMESTAMP_NS: 22,
  TIMESTAMP_TZ: 31,
} as const;

type Typed =
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | BigInt64ArrayConstructor
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Uint32ArrayConstructor
  | BigUint64ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

/** A fixed-width column: the values (as `read` gives them) in a typed array, nulls in a bitmap. */
function fixed(
  arrow: ArrowModule,
  type: Arrow.DataType,
  Values: Typed,
  read: (value: unknown) => number | bigint,
): ColumnPlan {
  return {
    type,
    data(chunk, index) {
      const values = chunk.getColumnValues(index);
      const length = values.length;
      const out = new Values(length);
      const bitmap = new Uint8Array((length + 7) >> 3);
      let nulls = 0;
      for (let row = 0; row < length; row++) {
        const value = values[row];
        if (value === null || value === undefined) {
          nulls++;
          continue;
        }
        (out as unknown as Array<number | bigint>)[row] = read(value);
        bitmap[row >> 3]! |= 1 << (row & 7);
      }
      return arrow.makeData({
        type: type as Arrow.Int,
        length,
        nullCount: nulls,
        nullBitmap: nulls ? bitmap : null,
        data: out as Int32Array,
      });
    },
  };
}

/** A column built by Arrow's builders from JS values. */
function built(arrow: ArrowModule, type: Arrow.DataType, read: (value: unknown) => unknown): ColumnPlan {
  return {
    type,
    data(chunk, index) {
      const values = chunk.getColumnValues(index).map((value) => (value === null ? null : read(value)));
      return arrow.vectorFromArray(values, type).data[0]!;
    },
  };
}

const asNumber = (value: unknown) => Number(value);
const asBigInt = (value: unknown) => BigInt(value as bigint);

function planColumn(arrow: ArrowModule, type: DuckDBType, json: (value: unknown) => unknown): ColumnPlan {
  switch (type.typeId) {
    case T.BOOLEAN:
      return built(arrow, new arrow.Bool(), Boolean);
    case T.TINYINT:
      return fixed(arrow, new arrow.Int8(), Int8Array, asNumber);
    case T.SMALLINT:
      return fixed(arrow, new arrow.Int16(), Int16Array, asNumber);
    case T.INTEGER:
      return fixed(arrow, new arrow.Int32(), Int32Array, asNumber);
    case T.BIGINT:
      return fixed(arrow, new arrow.Int64(), BigInt64Array, asBigInt);
    case T.UTINYINT:
      return fixed(arrow, new arrow.Uint8(), Uint8Array, asNumber);
    case T.USMALLINT:
      return fixed(arrow, new arrow.Uint16(), Uint16Array, asNumber);
    case T.UINTEGER:
      return fixed(arrow, new arrow.Uint32(), Uint32Array, asNumber);
    case T.UBIGINT:
      return fixed(arrow, new arrow.Uint64(), BigUint64Array, asBigInt);
    case T.FLOAT:
      return fixed(arrow, new arrow.Float32(), Float32Array, asNumber);
    case T.DOUBLE:
      return fixed(arrow, new arrow.Float64(), Float64Array, asNumber);
    case T.DATE:
      return fixed(arrow, new arrow.DateDay(), Int32Array, (value) => (value as { days: number }).days);
    case T.TIMESTAMP:
      return fixed(arrow, new arrow.TimestampMicrosecond(), BigInt64Array, (value) => {
        return (value as { micros: bigint }).micros;
      });
    case T.TIMESTAMP_TZ:
      return fixed(arrow, new arrow.TimestampMicrosecond('UTC'), BigInt64Array, (value) => {
        return (value as { micros: bigint }).micros;
      });
    case T.TIMESTAMP_S:
      return fixed(arrow, new arrow.TimestampSecond(), BigInt64Array, (value) => {
        return (value as { seconds: bigint }).seconds;
      });
    case T.TIMESTAMP_MS:
      return fixed(arrow, new arrow.TimestampMillisecond(), BigInt64Array, (value) => {
        return (value as { millis: bigint }).millis;
      });
    case T.TIMESTAMP_NS:
      return fixed(arrow, new arrow.TimestampNanosecond(), BigInt64Array, (value) => {
        return (value as { nanos: bigint }).nanos;
      });
    case T.DECIMAL: {
      const width = (type as DuckDBType & { width?: number }).width ?? 38;
      if (width <= 15) return fixed(arrow, new arrow.Float64(), Float64Array, (value) => Number(json(value)));
      return built(arrow, new arrow.Utf8(), (value) => String(json(value)));
    }
    case T.VARCHAR:
      return built(arrow, new arrow.Utf8(), String);
    case T.BLOB:
      return built(arrow, new arrow.Binary(), (value) => (value as { bytes: Uint8Array }).bytes);
    default:
      return built(arrow, new arrow.Utf8(), (value) => {
        const converted = json(value);
        return typeof converted === 'string' ? converted : JSON.stringify(converted);
      });
  }
}

/**
 * Runs `sql` on `connection` and writes its rows to `file` as an Arrow IPC stream. Interrupting the
 * connection (time limit, cancellation) stops it between chunks with DuckDB's error.
 */
export async function writeArrowStream(
  connection: DuckDBConnection,
  sql: string,
  file: string,
): Promise<number> {
  const arrow = await import('apache-arrow');
  const duckdb = await import('@duckdb/node-api');
  const result = await connection.stream(sql);
  const toJson = duckdb.JsonDuckDBValueConverter;
  const names = result.deduplicatedColumnNames();
  const types = result.columnTypes();
  const plans = types.map((type) =>
    planColumn(arrow, type, (value) => toJson(value as DuckDBValue, type, toJson)),
  );
  const schema = new arrow.Schema(
    plans.map((plan, index) => new arrow.Field(names[index]!, plan.type, true)),
  );
  const struct = new arrow.Struct(schema.fields);
  const writer = new arrow.RecordBatchStreamWriter();
  // Bytes flow to the file while the next chunk is fetched.
  const written = pipeline(Readable.from(writer), createWriteStream(file, { mode: 0o600 }));
  let rows = 0;
  try {
    writer.reset(undefined, schema);
    for (
      let chunk = await result.fetchChunk();
      chunk && chunk.rowCount > 0;
      chunk = await result.fetchChunk()
    ) {
      const children = plans.map((plan, index) => plan.data(chunk!, index));
      const data = arrow.makeData({ type: struct, length: chunk.rowCount, nullCount: 0, children });
      writer.write(new arrow.RecordBatch(schema, data));
      rows += chunk.rowCount;
    }
  } finally {
    writer.finish();
    await written;
  }
  return rows;
}
