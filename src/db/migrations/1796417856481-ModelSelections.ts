import { MigrationInterface, QueryRunner } from "typeorm";

export class ModelSelections1796417856481 implements MigrationInterface {
    name = 'ModelSelections1796417856481'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."selection_status" AS ENUM('ACTIVE', 'FALLBACK', 'BLOCKED')`);
        await queryRunner.query(`CREATE TABLE "model_selections" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "purpose" "public"."model_capability" NOT NULL, "model_record_id" uuid NOT NULL, "fallback_model_ids" uuid array NOT NULL DEFAULT '{}', "status" "public"."selection_status" NOT NULL, "effective_model_record_id" uuid, "reason" character varying(1000), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5f348ba2c116c9ef88adfcc9078" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "model_selections_purpose" ON "model_selections"  ("workspace_id", "purpose") `);
        await queryRunner.query(`ALTER TABLE "model_selections" ADD CONSTRAINT "FK_d1a4788bfc0d6169753eaca503a" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "model_selections" ADD CONSTRAINT "FK_e6155e01c26b89b11310e504df5" FOREIGN KEY ("model_record_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "model_selections" DROP CONSTRAINT "FK_e6155e01c26b89b11310e504df5"`);
        await queryRunner.query(`ALTER TABLE "model_selections" DROP CONSTRAINT "FK_d1a4788bfc0d6169753eaca503a"`);
        await queryRunner.query(`DROP INDEX "public"."model_selections_purpose"`);
        await queryRunner.query(`DROP TABLE "model_selections"`);
        await queryRunner.query(`DROP TYPE "public"."selection_status"`);
    }

}
