# syntax=docker/dockerfile:1
# `declic serve` in a small image: built with the Rust toolchain, run on distroless (glibc
# and nothing else: no shell, no package manager), as a user without privileges.
#
#   docker build -t declic .
#   docker run --rm -p 7878:7878 -v "$PWD/recipes/fr:/rules:ro" declic
#
# The rules are mounted at /rules (the image's own copy of the French recipes serves
# when nothing is mounted); a change to the files there reloads them.

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
# The registry and target folder are caches of the builder, not layers of the image.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin declic \
    && cp target/release/declic /usr/local/bin/declic

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /usr/local/bin/declic /usr/local/bin/declic
COPY recipes/fr /rules
EXPOSE 7878
# Exec form: declic is process 1 and gets SIGTERM (drain, then stop) and SIGHUP (reload)
# itself.
ENTRYPOINT ["/usr/local/bin/declic", "serve"]
CMD ["/rules", "--listen", "0.0.0.0:7878"]
