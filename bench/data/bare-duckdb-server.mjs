/**
 * The socket's floor for bench/data's API rows: a bare `node:http` server that answers
 * `POST /api/v1/data/query` ({sql, params?}) with DuckDB called directly — SQL run as it comes (as
 * the DuckDB direct row runs it), or with params a statement prepared once per SQL text, bound and
 * run; rows as JSON — and nothing else (no key, checks, masks, audit
 * or limits). Keel's API rows minus this row is what Keel itself adds over a socket; this row
 * minus DuckDB direct is what any HTTP server in its own process adds on this machine.
 *
 * Usage: node bench/data/bare-duckdb-server.mjs <parquet file>
 */
import { createServer } from 'node:http';
import { DuckDBInstance } from '@duckdb/node-api';

const [file] = process.argv.slice(2);
const connection = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
await connection.run(`CREATE VIEW points AS SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`);
const prepared = new Map();

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', async () => {
    try {
      const { sql, params } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      let reader;
      if (params?.length) {
        let statement = prepared.get(sql);
        if (!statement) {
          statement = await connection.prepare(sql);
          prepared.set(sql, statement);
        }
        statement.bind(params);
        reader = await statement.runAndReadAll();
      } else {
        // As DuckDB direct runs it: parsed and planned with the query.
        reader = await connection.runAndReadAll(sql);
      }
      const body = JSON.stringify({
        columns: reader.columnNames(),
        rows: reader.getRowsJson(),
      });
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
