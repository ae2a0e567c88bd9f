package io.eci.vnode.service.api;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads numeric and boolean parameters strictly and names the one that is wrong: JAX-RS would
 * answer {@code ?limit=abc} with a bare 404 and read {@code ?keepPods=yes} as false.
 */
@Provider
public class StrictParams implements ParamConverterProvider {

  private record Reading(String expected, Function<String, Object> parse) {}

  private static final Reading WHOLE_NUMBER = new Reading("a whole number", Long::parseLong);
  private static final Map<Class<?>, Reading> READINGS =
      Map.of(
          int.class, new Reading("a whole number", Integer::parseInt),
          Integer.class, new Reading("a whole number", Integer::parseInt),
          long.class, WHOLE_NUMBER,
          Long.class, WHOLE_NUMBER,
          boolean.class, new Reading("true or false", StrictParams::parseBoolean),
          Boolean.class, new Reading("true or false", StrictParams::parseBoolean));

  @Override
  @SuppressWarnings("unchecked")
  public <T> ParamConverter<T> getConverter(
      Class<T> rawType, Type genericType, Annotation[] annotations) {
    Reading reading = READINGS.get(rawType);
    String name = name(annotations);
    if (reading == null || name == null) {
      return null;
    }
    return new ParamConverter<>() {
      @Override
      public T fromString(String value) {
        try {
          return (T) reading.parse().apply(value.trim());
        } catch (IllegalArgumentException e) {
          throw ApiProblem.invalid(name, "must be " + reading.expected());
        }
      }

      @Override
      public String toString(T value) {
        return String.valueOf(value);
      }
    };
  }

  static Object parseBoolean(String value) {
    return switch (value) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw new IllegalArgumentException(value);
    };
  }

  private static String name(Annotation[] annotations) {
    for (Annotation annotation : annotations) {
      if (annotation instanceof QueryParam query) {
        return query.value();
      }
      if (annotation instanceof PathParam path) {
        return path.value();
      }
      if (annotation instanceof HeaderParam header) {
        return header.value();
      }
    }
    return null;
  }
}
