// Runs one SQL statement in an in-memory DuckDB and prints the rows as JSON.
// Used by Go tests (see functions/ingest/duckdb_test.go) to check that the
// warehouse's Parquet files are readable by an engine that is not ours.
import { DuckDBInstance } from '@duckdb/node-api';

const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
const result = await conn.runAndReadAll(process.argv[2]);
process.stdout.write(JSON.stringify(result.getRowObjectsJson()));
