CREATE TABLE "community_blocks" (
	"community_id" integer NOT NULL,
	"actor_uri" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL,
	"created_by" integer,
	CONSTRAINT "community_blocks_community_id_actor_uri_pk" PRIMARY KEY("community_id","actor_uri")
);
--> statement-breakpoint
ALTER TABLE "actors" ADD COLUMN "reply_policy" text DEFAULT 'open' NOT NULL;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "reply_authorization" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "reply_refused_at" bigint;--> statement-breakpoint
ALTER TABLE "replies" ADD COLUMN "request_uri" text;--> statement-breakpoint
ALTER TABLE "replies" ADD COLUMN "authorization_id" text;--> statement-breakpoint
ALTER TABLE "community_blocks" ADD CONSTRAINT "community_blocks_community_id_actors_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_blocks" ADD CONSTRAINT "community_blocks_created_by_actors_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."actors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replies" ADD CONSTRAINT "replies_authorization_id_unique" UNIQUE("authorization_id");