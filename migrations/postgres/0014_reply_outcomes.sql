CREATE TABLE "outcomes_elsewhere" (
	"post_id" text PRIMARY KEY NOT NULL,
	"answer_uri" text NOT NULL,
	"record_uri" text NOT NULL,
	"record_title" text NOT NULL,
	"kind" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"referred_uri" text,
	"referred_name" text,
	"answered_by" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referred_input" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_id" integer NOT NULL,
	"object_uri" text NOT NULL,
	"object_url" text,
	"author_uri" text,
	"author_name" text,
	"content_html" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"referred_by_uri" text NOT NULL,
	"referred_by_name" text,
	"record_uri" text,
	"received_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reply_outcomes" (
	"decision_id" text NOT NULL,
	"reply_uri" text NOT NULL,
	"kind" text,
	"note" text DEFAULT '' NOT NULL,
	"referral_target" text,
	"referral_uri" text,
	"referral_name" text,
	"referral_state" text,
	"answer_note_id" text,
	"set_by" integer,
	"set_at" bigint NOT NULL,
	CONSTRAINT "reply_outcomes_decision_id_reply_uri_pk" PRIMARY KEY("decision_id","reply_uri")
);
--> statement-breakpoint
ALTER TABLE "replies" ADD COLUMN "from_connexo" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "outcomes_elsewhere" ADD CONSTRAINT "outcomes_elsewhere_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referred_input" ADD CONSTRAINT "referred_input_community_id_actors_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reply_outcomes" ADD CONSTRAINT "reply_outcomes_decision_id_posts_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reply_outcomes" ADD CONSTRAINT "reply_outcomes_answer_note_id_posts_id_fk" FOREIGN KEY ("answer_note_id") REFERENCES "public"."posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reply_outcomes" ADD CONSTRAINT "reply_outcomes_set_by_actors_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."actors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "referred_input_once" ON "referred_input" USING btree ("community_id","object_uri");--> statement-breakpoint
CREATE INDEX "reply_outcomes_by_reply" ON "reply_outcomes" USING btree ("reply_uri");--> statement-breakpoint
CREATE INDEX "reply_outcomes_by_answer" ON "reply_outcomes" USING btree ("answer_note_id");