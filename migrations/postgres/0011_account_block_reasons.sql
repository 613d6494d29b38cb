ALTER TABLE "blocked_actors" ADD COLUMN "reason" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "blocked_actors" ADD COLUMN "created_by" integer;--> statement-breakpoint
ALTER TABLE "blocked_actors" ADD CONSTRAINT "blocked_actors_created_by_actors_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."actors"("id") ON DELETE set null ON UPDATE no action;