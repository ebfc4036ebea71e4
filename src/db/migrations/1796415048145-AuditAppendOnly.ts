import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit trail is append-only in the database itself, not only by convention in the code. */
export class AuditAppendOnly1796415048145 implements MigrationInterface {
  name = 'AuditAppendOnly1796415048145';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER audit_events_append_only ON audit_events');
    await queryRunner.query('DROP FUNCTION audit_events_append_only()');
  }
}
