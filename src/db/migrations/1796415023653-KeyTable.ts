import { MigrationInterface, QueryRunner } from "typeorm";

export class KeyTable1796415023653 implements MigrationInterface {
    name = 'KeyTable1796415023653'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "audit_events" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "workspace_id" uuid NOT NULL, "action" character varying(64) NOT NULL, "actor" character varying(100) NOT NULL, "target_type" character varying(64) NOT NULL, "target_id" character varying(64), "details" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "audit_events_workspace_id" ON "audit_events"  ("workspace_id", "id") `);
        await queryRunner.query(`CREATE TYPE "public"."provider_protocol" AS ENUM('OPENAI', 'ANTHROPIC', 'GOOGLE', 'OPENROUTER', 'AZURE_OPENAI', 'OLLAMA')`);
        await queryRunner.query(`CREATE TABLE "providers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid, "slug" character varying(64) NOT NULL, "name" character varying(100) NOT NULL, "protocol" "public"."provider_protocol" NOT NULL, "default_endpoint" character varying(2048), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_af13fc2ebf382fe0dad2e4793aa" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "providers_workspace_slug" ON "providers"  ("workspace_id", "slug") WHERE workspace_id IS NOT NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "providers_builtin_slug" ON "providers"  ("slug") WHERE workspace_id IS NULL`);
        await queryRunner.query(`CREATE TYPE "public"."key_test_status" AS ENUM('UNTESTED', 'TESTING', 'PASSED', 'FAILED')`);
        await queryRunner.query(`CREATE TYPE "public"."key_health" AS ENUM('HEALTHY', 'DEGRADED', 'UNHEALTHY')`);
        await queryRunner.query(`CREATE TABLE "provider_keys" ("id" uuid NOT NULL, "workspace_id" uuid NOT NULL, "provider_id" uuid NOT NULL, "label" character varying(100), "endpoint" character varying(2048) NOT NULL, "secret" bytea NOT NULL, "fingerprint" bytea NOT NULL, "masked_key" character varying(32) NOT NULL, "secret_version" integer NOT NULL DEFAULT '1', "test_status" "public"."key_test_status" NOT NULL DEFAULT 'UNTESTED', "health" "public"."key_health" NOT NULL DEFAULT 'HEALTHY', "last_error" jsonb, "last_tested_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "rotated_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_cd3f4b00dc891e0d9dc9b049d25" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_e42aab44d0e5579a2470e0979c" ON "provider_keys"  ("workspace_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_6d4c72d28c81783b3c81bb2e54" ON "provider_keys"  ("provider_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "provider_keys_fingerprint" ON "provider_keys"  ("workspace_id", "provider_id", "fingerprint") `);
        await queryRunner.query(`CREATE TYPE "public"."model_capability" AS ENUM('WRITING', 'REPLIES', 'AGENTS', 'TOOLS', 'VISION', 'IMAGES')`);
        await queryRunner.query(`CREATE TYPE "public"."model_source" AS ENUM('CATALOG', 'DECLARED', 'LISTED')`);
        await queryRunner.query(`CREATE TABLE "models" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid, "provider_id" uuid NOT NULL, "model_id" character varying(200) NOT NULL, "display_name" character varying(200) NOT NULL, "capabilities" "public"."model_capability" array NOT NULL DEFAULT '{}', "source" "public"."model_source" NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ef9ed7160ea69013636466bf2d5" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_b640e473aed501ce32b6707c1f" ON "models"  ("provider_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "models_workspace_unique" ON "models"  ("workspace_id", "provider_id", "model_id") WHERE workspace_id IS NOT NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "models_shared_unique" ON "models"  ("provider_id", "model_id") WHERE workspace_id IS NULL`);
        await queryRunner.query(`ALTER TABLE "providers" ADD CONSTRAINT "FK_457bac0c6b3d02d4bf1809706a1" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "provider_keys" ADD CONSTRAINT "FK_e42aab44d0e5579a2470e0979c9" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "provider_keys" ADD CONSTRAINT "FK_6d4c72d28c81783b3c81bb2e546" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "models" ADD CONSTRAINT "FK_970d2728e6c1a13821142126eb4" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "models" ADD CONSTRAINT "FK_b640e473aed501ce32b6707c1fd" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "models" DROP CONSTRAINT "FK_b640e473aed501ce32b6707c1fd"`);
        await queryRunner.query(`ALTER TABLE "models" DROP CONSTRAINT "FK_970d2728e6c1a13821142126eb4"`);
        await queryRunner.query(`ALTER TABLE "provider_keys" DROP CONSTRAINT "FK_6d4c72d28c81783b3c81bb2e546"`);
        await queryRunner.query(`ALTER TABLE "provider_keys" DROP CONSTRAINT "FK_e42aab44d0e5579a2470e0979c9"`);
        await queryRunner.query(`ALTER TABLE "providers" DROP CONSTRAINT "FK_457bac0c6b3d02d4bf1809706a1"`);
        await queryRunner.query(`DROP INDEX "public"."models_shared_unique"`);
        await queryRunner.query(`DROP INDEX "public"."models_workspace_unique"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_b640e473aed501ce32b6707c1f"`);
        await queryRunner.query(`DROP TABLE "models"`);
        await queryRunner.query(`DROP TYPE "public"."model_source"`);
        await queryRunner.query(`DROP TYPE "public"."model_capability"`);
        await queryRunner.query(`DROP INDEX "public"."provider_keys_fingerprint"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_6d4c72d28c81783b3c81bb2e54"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_e42aab44d0e5579a2470e0979c"`);
        await queryRunner.query(`DROP TABLE "provider_keys"`);
        await queryRunner.query(`DROP TYPE "public"."key_health"`);
        await queryRunner.query(`DROP TYPE "public"."key_test_status"`);
        await queryRunner.query(`DROP INDEX "public"."providers_builtin_slug"`);
        await queryRunner.query(`DROP INDEX "public"."providers_workspace_slug"`);
        await queryRunner.query(`DROP TABLE "providers"`);
        await queryRunner.query(`DROP TYPE "public"."provider_protocol"`);
        await queryRunner.query(`DROP INDEX "public"."audit_events_workspace_id"`);
        await queryRunner.query(`DROP TABLE "audit_events"`);
    }

}
