ALTER TABLE "actors" ADD COLUMN "avatar_alt" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "actors" ADD COLUMN "description" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "actors" ADD COLUMN "profile_links" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "actors" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "actors" ADD CONSTRAINT "actors_email_unique" UNIQUE("email");