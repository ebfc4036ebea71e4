import { MigrationInterface, QueryRunner } from "typeorm";

export class KeyTests1796415577140 implements MigrationInterface {
    name = 'KeyTests1796415577140'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."test_trigger" AS ENUM('MANUAL', 'CREATED', 'ROTATED', 'SCHEDULED', 'RECOVERY')`);
        await queryRunner.query(`CREATE TABLE "key_test_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "key_id" uuid NOT NULL, "workspace_id" uuid NOT NULL, "secret_version" integer NOT NULL, "trigger" "public"."test_trigger" NOT NULL, "status" "public"."key_test_status" NOT NULL DEFAULT 'TESTING', "error" jsonb, "latency_ms" integer, "models_found" integer, "attempts" integer NOT NULL DEFAULT '0', "stale" boolean NOT NULL DEFAULT false, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b76be5190058fb9d8317dc1b8b7" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "key_test_runs_one_open" ON "key_test_runs"  ("key_id", "secret_version") WHERE finished_at IS NULL`);
        await queryRunner.query(`CREATE INDEX "key_test_runs_key_started" ON "key_test_runs"  ("key_id", "started_at") `);
        await queryRunner.query(`CREATE TABLE "key_models" ("key_id" uuid NOT NULL, "model_record_id" uuid NOT NULL, CONSTRAINT "PK_ca5e7eda0f58425d0d98dc21e81" PRIMARY KEY ("key_id", "model_record_id"))`);
        await queryRunner.query(`CREATE INDEX "key_models_model" ON "key_models"  ("model_record_id") `);
        await queryRunner.query(`ALTER TABLE "provider_keys" ADD "next_test_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "provider_keys" ADD "consecutive_test_failures" integer NOT NULL DEFAULT '0'`);
        await queryRunner.query(`CREATE INDEX "provider_keys_next_test_at" ON "provider_keys"  ("next_test_at") WHERE next_test_at IS NOT NULL`);
        await queryRunner.query(`ALTER TABLE "key_test_runs" ADD CONSTRAINT "FK_0599b5e2fd310476864223940b9" FOREIGN KEY ("key_id") REFERENCES "provider_keys"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "key_models" ADD CONSTRAINT "FK_32d7b6a6138b8e49c3e268a146e" FOREIGN KEY ("key_id") REFERENCES "provider_keys"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "key_models" ADD CONSTRAINT "FK_510a9752f8725edc1d4c18b4bd3" FOREIGN KEY ("model_record_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "key_models" DROP CONSTRAINT "FK_510a9752f8725edc1d4c18b4bd3"`);
        await queryRunner.query(`ALTER TABLE "key_models" DROP CONSTRAINT "FK_32d7b6a6138b8e49c3e268a146e"`);
        await queryRunner.query(`ALTER TABLE "key_test_runs" DROP CONSTRAINT "FK_0599b5e2fd310476864223940b9"`);
        await queryRunner.query(`DROP INDEX "public"."provider_keys_next_test_at"`);
        await queryRunner.query(`ALTER TABLE "provider_keys" DROP COLUMN "consecutive_test_failures"`);
        await queryRunner.query(`ALTER TABLE "provider_keys" DROP COLUMN "next_test_at"`);
        await queryRunner.query(`DROP INDEX "public"."key_models_model"`);
        await queryRunner.query(`DROP TABLE "key_models"`);
        await queryRunner.query(`DROP INDEX "public"."key_test_runs_key_started"`);
        await queryRunner.query(`DROP INDEX "public"."key_test_runs_one_open"`);
        await queryRunner.query(`DROP TABLE "key_test_runs"`);
        await queryRunner.query(`DROP TYPE "public"."test_trigger"`);
    }

}
