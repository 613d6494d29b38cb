CREATE TABLE "decision_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"decision_id" text NOT NULL,
	"at" bigint NOT NULL,
	"actor_id" integer,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"post_id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"question" text NOT NULL,
	"context" text NOT NULL,
	"options" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"decision" text DEFAULT '' NOT NULL,
	"rationale" text DEFAULT '' NOT NULL,
	"consequences" text DEFAULT '' NOT NULL,
	"deciders" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"informed_by" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"consultation_closes_at" bigint,
	"decided_at" bigint,
	"superseded_by" text,
	"status_changed_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "remote_posts" ADD COLUMN "decision" jsonb;--> statement-breakpoint
ALTER TABLE "decision_history" ADD CONSTRAINT "decision_history_decision_id_posts_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_history" ADD CONSTRAINT "decision_history_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_superseded_by_posts_id_fk" FOREIGN KEY ("superseded_by") REFERENCES "public"."posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "decision_history_by_decision" ON "decision_history" USING btree ("decision_id","id");--> statement-breakpoint
CREATE INDEX "decision_history_by_time" ON "decision_history" USING btree ("at");--> statement-breakpoint
CREATE INDEX "decisions_by_status" ON "decisions" USING btree ("status");--> statement-breakpoint
CREATE INDEX "decisions_by_superseded_by" ON "decisions" USING btree ("superseded_by");