package dev.kappa.boot.autoconfigure.sample;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** A whole application made of nothing but Kappa's auto-configuration and {@link SampleAccount}. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class SampleApplication {
}
