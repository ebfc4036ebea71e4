import { MigrationInterface, QueryRunner } from "typeorm";

export class Foundation1796413883460 implements MigrationInterface {
    name = 'Foundation1796413883460'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "workspaces" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_098656ae401f3e1a4586f47fd8e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TYPE "public"."app_key_role" AS ENUM('ADMIN', 'MEMBER', 'SERVICE')`);
        await queryRunner.query(`CREATE TABLE "app_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "role" "public"."app_key_role" NOT NULL, "prefix" character varying(32) NOT NULL, "token_hash" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c277eb1cd78bb02135016ae3932" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_5ac5ddf3aecd3e98251e241546" ON "app_keys"  ("workspace_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_20e1911239bca1ab0bdf231792" ON "app_keys"  ("token_hash") `);
        await queryRunner.query(`ALTER TABLE "app_keys" ADD CONSTRAINT "FK_5ac5ddf3aecd3e98251e241546b" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "app_keys" DROP CONSTRAINT "FK_5ac5ddf3aecd3e98251e241546b"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_20e1911239bca1ab0bdf231792"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_5ac5ddf3aecd3e98251e241546"`);
        await queryRunner.query(`DROP TABLE "app_keys"`);
        await queryRunner.query(`DROP TYPE "public"."app_key_role"`);
        await queryRunner.query(`DROP TABLE "workspaces"`);
    }

}
