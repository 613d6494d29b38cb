CREATE TABLE "reports" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" bigint NOT NULL,
	"reporter_id" integer,
	"reporter_uri" text,
	"subject_kind" text NOT NULL,
	"subject_uri" text NOT NULL,
	"community_id" integer,
	"remote_author_uri" text,
	"snapshot" text DEFAULT '' NOT NULL,
	"category" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"resolved_by" integer,
	"resolved_at" bigint,
	"resolution" text,
	"resolution_note" text DEFAULT '' NOT NULL,
	"forwarded_at" bigint
);
--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_reporter_id_actors_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."actors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_community_id_actors_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."actors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_resolved_by_actors_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."actors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reports_by_state" ON "reports" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "reports_by_subject" ON "reports" USING btree ("subject_uri");