import { CompiledQuery, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql, DummyDriver } from 'kysely';
import { describe, expect, it } from 'vitest';
import { isReadStatement } from './read-routing.js';

interface Tables {
  people: { id: number; name: string };
}

// Compiles queries only; nothing runs.
const db = new Kysely<Tables>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new PostgresIntrospector(kysely),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

describe('which statements may read from the replica', () => {
  it('lets plain selects go, Kysely-built or raw', () => {
    expect(
      isReadStatement(
        db
          .selectFrom('people')
          .select(['id', 'updated_name' as 'name'])
          .compile(),
      ),
    ).toBe(true);
    expect(isReadStatement(sql`select count(*) from people where last_update > now()`.compile(db))).toBe(true);
    expect(isReadStatement(sql`  with recent as (select id from people) select * from recent`.compile(db))).toBe(true);
  });

  it('keeps writes, locks and anything that could write on the primary', () => {
    expect(isReadStatement(db.insertInto('people').values({ id: 1, name: 'a' }).compile())).toBe(false);
    expect(isReadStatement(db.updateTable('people').set({ name: 'b' }).compile())).toBe(false);
    expect(isReadStatement(db.deleteFrom('people').compile())).toBe(false);
    expect(isReadStatement(db.selectFrom('people').selectAll().forUpdate().compile())).toBe(false);
    expect(isReadStatement(sql`with gone as (delete from people returning id) select * from gone`.compile(db))).toBe(false);
    expect(isReadStatement(sql`select pg_advisory_lock(42)`.compile(db))).toBe(false);
    expect(isReadStatement(sql`select nextval('people_id_seq')`.compile(db))).toBe(false);
    expect(isReadStatement(sql`create temporary table t (id int)`.compile(db))).toBe(false);
    expect(isReadStatement(CompiledQuery.raw('begin'))).toBe(false);
  });
});
