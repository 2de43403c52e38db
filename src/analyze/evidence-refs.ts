/**
 * Evidence refs (`BUNDLE/FILE:LINE`, what findings list) turned back into rows of `events`: the refs go
 * into a temporary table of (bundle, ref) pairs, which the caller joins on the two columns. Matching
 * `bundle || '/' || ref` instead would build that text for every event of the case on every query.
 */
import type {DuckDBConnection} from '@duckdb/node-api'

/** Fills the temporary table `name` (bundle, ref) with the distinct refs given. Bundle names hold no `/`. */
export async function refsTable(connection: DuckDBConnection, name: string, refs: Iterable<string>): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${name} AS
SELECT DISTINCT split_part(r, '/', 1) AS bundle, substr(r, strpos(r, '/') + 1) AS ref
FROM (SELECT unnest(from_json($refs::JSON, '["VARCHAR"]')) AS r) WHERE strpos(r, '/') > 0`, {refs: JSON.stringify([...new Set(refs)])})
}
