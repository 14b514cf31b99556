"""A stand-in for the three names the official CrossFormer code imports from timm (Debian has no
timm): written for this project, eval-only semantics. Put tools/reference/timm_stand_in on sys.path."""
